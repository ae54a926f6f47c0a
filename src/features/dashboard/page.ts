import type { Locale } from '../../config/locales';
import type { I18n } from '../../i18n/i18n';
import { decimal, percent, reportTables, type Table } from './tables';
import type { Report, ReportQuery } from './report';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const STYLE = `
body { font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 0; color: #1f2329; background: #f5f6f8; }
header { display: flex; align-items: center; gap: 16px; padding: 12px 24px; background: #e4393c; color: #fff; }
header h1 { font-size: 20px; margin: 0; flex: 1; }
header a { color: #fff; }
main { padding: 16px 24px; max-width: 1200px; }
form.range { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 16px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 12px; margin-bottom: 16px; }
.kpi { background: #fff; border-radius: 8px; padding: 12px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.kpi .value { font-size: 28px; font-weight: 600; }
.kpi .label, .kpi .note { font-size: 13px; color: #646a73; }
.kpi.below .value { color: #d83931; } .kpi.met .value { color: #2e7d32; }
section { background: #fff; border-radius: 8px; padding: 12px 16px; margin-bottom: 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
section h2 { font-size: 16px; margin: 0 0 8px; display: flex; justify-content: space-between; }
section h2 a { font-size: 13px; font-weight: normal; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #eceef1; vertical-align: top; }
@media print { header a, form.range, section h2 a { display: none; } body { background: #fff; } }`;

export interface PageContext {
  locale: Locale;
  query: ReportQuery;
  member: { name: string; role: string };
  timeZone: string;
}

/** The dashboard page, rendered on the server (no script): figures against their targets, then every table with its CSV export. */
export function renderDashboard(report: Report, ctx: PageContext, i18n: I18n): string {
  const { locale, query } = ctx;
  const t = (key: string, vars: Record<string, string | number> = {}) => escapeHtml(i18n.t(locale, `dashboard.${key}`, vars));
  const qs = (extra: Record<string, string>) => new URLSearchParams({ from: query.from, to: query.to, granularity: query.granularity, lang: locale, ...extra }).toString();
  const other: Locale = locale === 'zh-CN' ? 'en-US' : 'zh-CN';
  const kpi = (id: string, value: string, note: string, state: '' | 'met' | 'below' = '') =>
    `<div class="kpi ${state}" id="kpi-${id}"><div class="label">${t(`kpi.${id}`)}</div><div class="value">${escapeHtml(value)}</div><div class="note">${note}</div></div>`;
  const against = (r: number | null, target: number) => (r === null ? '' : r >= target ? 'met' : 'below');
  const s = report.satisfaction;
  const c = report.complaints;
  const kpis = [
    kpi('satisfactionRate', percent(s.satisfactionRate), t('target', { target: percent(report.targets.satisfactionRate) }), against(s.satisfactionRate, report.targets.satisfactionRate)),
    kpi('csatAverage', decimal(s.csatAverage), `${s.answered} / ${s.sent}`),
    kpi('nps', decimal(s.nps, 0), ''),
    kpi('responseRate', percent(s.responseRate), ''),
    kpi('resolutionRate', percent(report.tickets.resolutionRate), t('target', { target: percent(report.targets.resolutionRate) }), against(report.tickets.resolutionRate, report.targets.resolutionRate)),
    kpi('complaintRate', decimal(c.rate), c.change === null ? '' : t('kpi.change', { change: `${c.change > 0 ? '+' : ''}${percent(c.change)}` })),
    ...segmentKpis(report, kpi, t),
  ].join('');
  const section = (table: Table) => {
    const head = `<tr>${table.columns.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
    const body = table.rows
      .map((row, i) => {
        const cells = row.map((v, j) => {
          const link = table.links?.[i];
          const text = escapeHtml(String(v));
          return link && j === row.length - 1 ? `<td><a href="/dashboard/conversations/${encodeURIComponent(link)}?lang=${locale}">${t('viewTranscript')}</a></td>` : `<td>${text}</td>`;
        });
        return `<tr>${cells.join('')}</tr>`;
      })
      .join('');
    const empty = table.name === 'lowScores' && !table.rows.length ? `<p>${t('noLowScores')}</p>` : '';
    return `<section id="${table.name}"><h2>${t(`tables.${table.name}`)} <a href="/dashboard/export.csv?${escapeHtml(qs({ table: table.name }))}">${t('csv')}</a></h2><table>${head}${body}</table>${empty}</section>`;
  };
  const granularity = (['day', 'week', 'quarter'] as const).map((g) => `<option value="${g}"${g === query.granularity ? ' selected' : ''}>${t(`by.${g}`)}</option>`).join('');
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('title')}</title><link rel="icon" href="/favicon.svg"><style>${STYLE}</style></head>
<body><header><h1>${t('title')}</h1><span id="member">${t('signedInAs', { name: ctx.member.name, role: ctx.member.role })}</span>
<a href="/dashboard?${escapeHtml(qs({ lang: other }))}">${t('otherLanguage')}</a></header>
<main><form class="range" method="get" action="/dashboard"><label>${t('from')} <input type="date" name="from" value="${query.from}"></label>
<label>${t('to')} <input type="date" name="to" value="${query.to}"></label><label>${t('granularity')} <select name="granularity">${granularity}</select></label>
<input type="hidden" name="lang" value="${locale}"><button type="submit">${t('show')}</button></form>
<div class="kpis">${kpis}</div>
${reportTables(report, locale, i18n, ctx.timeZone).map(section).join('\n')}
</main></body></html>`;
}

/** Churn of the range's last month against its ceiling, repurchase and win-back conversions. */
function segmentKpis(report: Report, kpi: (id: string, value: string, note: string, state?: '' | 'met' | 'below') => string, t: (key: string, vars?: Record<string, string | number>) => string): string[] {
  const s = report.segments;
  if (!s) return [];
  const last = s.months.at(-1);
  const churn = last?.churnRate ?? null;
  return [
    kpi('churnRate', percent(churn), t('targetAtMost', { target: percent(s.churnTarget) }), churn === null ? '' : churn <= s.churnTarget ? 'met' : 'below'),
    kpi('repurchaseRate', percent(s.repurchase.rate), `${s.repurchase.repeat} / ${s.repurchase.buyers}`),
    kpi('winbackRate', percent(s.winback.rate), `${s.winback.converted} / ${s.winback.sent}`),
  ];
}

/** A message of the transcript viewer. */
export interface TranscriptLine {
  at: Date;
  sender: string;
  text: string;
}

export function renderTranscript(conversationId: string, lines: TranscriptLine[], locale: Locale, timeZone: string, i18n: I18n): string {
  const t = (key: string) => escapeHtml(i18n.t(locale, `dashboard.${key}`));
  const time = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'medium' });
  const rows = lines.map((l) => `<tr><td>${escapeHtml(time.format(l.at))}</td><td>${t(`transcript.${l.sender}`)}</td><td>${escapeHtml(l.text)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${t('transcript.title')}</title><style>${STYLE}</style></head>
<body><header><h1>${t('transcript.title')} ${escapeHtml(conversationId)}</h1><a href="/dashboard?lang=${locale}">${t('transcript.back')}</a></header>
<main><section><table id="transcript">${rows}</table></section></main></body></html>`;
}
