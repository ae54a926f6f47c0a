import type { Locale } from '../../config/locales';
import type { I18n } from '../../i18n/i18n';
import { SURVEY_TRIGGERS } from '../surveys';
import { TICKET_CATEGORIES } from '../tickets';
import { FILTERS, type ReportQuery } from './query';
import type { Report } from './report';
import type { Rows, RowsQuery, SurveyLine, TicketLine } from './rows';
import { decimal, percent, reportTables, type Table } from './tables';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const STYLE = `
body { font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 0; color: #1f2329; background: #f5f6f8; }
header { display: flex; align-items: center; gap: 16px; padding: 12px 24px; background: #e4393c; color: #fff; }
header h1 { font-size: 20px; margin: 0; flex: 1; }
header a { color: #fff; }
main { padding: 16px 24px; max-width: 1200px; }
a.drill { color: inherit; text-decoration: none; border-bottom: 1px dashed #8f959e; }
nav.pages { display: flex; gap: 16px; margin-top: 8px; }
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
  /** The agents of the agent filter (empty for an agent, who sees their own figures). */
  agents: { id: string; name: string }[];
  seesAll: boolean;
}

/** The query string of a report query and its filters (only those set), with more parameters. */
export function queryString(query: ReportQuery, locale: Locale, extra: Record<string, string> = {}): string {
  const params: Record<string, string> = { from: query.from, to: query.to, granularity: query.granularity, lang: locale };
  for (const name of FILTERS) if (query[name]) params[name] = query[name];
  return new URLSearchParams({ ...params, ...extra }).toString();
}

/** The filter fields of the range form: agent (everyone's figures only), ticket kind, channel, survey trigger. */
function filterFields(ctx: PageContext, i18n: I18n): string {
  const { locale, query } = ctx;
  const t = (key: string) => escapeHtml(i18n.t(locale, key));
  const select = (name: string, options: [string, string][]) =>
    `<label>${t(`dashboard.filters.${name}`)} <select name="${name}"><option value="">${t('dashboard.filters.all')}</option>${options
      .map(([v, label]) => `<option value="${escapeHtml(v)}"${query[name as keyof ReportQuery] === v ? ' selected' : ''}>${escapeHtml(label)}</option>`)
      .join('')}</select></label>`;
  return [
    ctx.seesAll ? select('agent', ctx.agents.map((a) => [a.id, a.name])) : '',
    select('category', TICKET_CATEGORIES.map((c) => [c, i18n.t(locale, `tickets.category.${c}`)])),
    `<label>${t('dashboard.filters.channel')} <input name="channel" size="10" value="${escapeHtml(query.channel ?? '')}"></label>`,
    select('trigger', SURVEY_TRIGGERS.map((g) => [g, i18n.t(locale, `dashboard.trigger.${g}`)])),
  ].join('');
}

/** The dashboard page, rendered on the server (no script): figures against their targets, then every table with its CSV export. */
export function renderDashboard(report: Report, ctx: PageContext, i18n: I18n): string {
  const { locale, query } = ctx;
  const t = (key: string, vars: Record<string, string | number> = {}) => escapeHtml(i18n.t(locale, `dashboard.${key}`, vars));
  const qs = (extra: Record<string, string>) => queryString(query, locale, extra);
  const other: Locale = locale === 'zh-CN' ? 'en-US' : 'zh-CN';
  /** The rows behind a number: each figure opens its drill-down. */
  const DRILL: Record<string, Record<string, string>> = {
    satisfactionRate: { figure: 'surveys' },
    csatAverage: { figure: 'surveys' },
    nps: { figure: 'surveys' },
    responseRate: { figure: 'surveys' },
    resolutionRate: { figure: 'unresolved' },
    complaintRate: { figure: 'tickets', category: 'complaint' },
  };
  const kpi = (id: string, value: string, note: string, state: '' | 'met' | 'below' = '') => {
    const shown = DRILL[id] ? `<a class="drill" href="/dashboard/rows?${escapeHtml(qs(DRILL[id]))}">${escapeHtml(value)}</a>` : escapeHtml(value);
    return `<div class="kpi ${state}" id="kpi-${id}"><div class="label">${t(`kpi.${id}`)}</div><div class="value">${shown}</div><div class="note">${note}</div></div>`;
  };
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
          const drill = table.drill?.[i];
          const text = escapeHtml(String(v));
          if (link && j === row.length - 1) return `<td><a href="/dashboard/conversations/${encodeURIComponent(link)}?lang=${locale}">${t('viewTranscript')}</a></td>`;
          if (drill && j === 0) return `<td><a class="drill" href="/dashboard/rows?${escapeHtml(qs(drill))}">${text}</a></td>`;
          return `<td>${text}</td>`;
        });
        return `<tr>${cells.join('')}</tr>`;
      })
      .join('');
    const empty =
      table.name === 'lowScores' && !table.rows.length
        ? `<p>${t('noLowScores')}</p>`
        : table.name === 'followUpQuestions' && report.followUp.every((q) => !q.answered)
          ? `<p>${t('noFollowUpAnswers')}</p>`
          : '';
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
${filterFields(ctx, i18n)}
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

/** The rows behind a number (the drill-down), a page at a time, each linked to its conversation. */
export function renderRows(rows: Rows, query: RowsQuery, ctx: { locale: Locale; timeZone: string }, i18n: I18n): string {
  const { locale } = ctx;
  const t = (key: string, vars: Record<string, string | number> = {}) => escapeHtml(i18n.t(locale, `dashboard.${key}`, vars));
  const time = new Intl.DateTimeFormat(locale, { timeZone: ctx.timeZone, dateStyle: 'medium', timeStyle: 'short' });
  const at = (v: string | null) => (v ? time.format(new Date(v)) : '');
  const cell = (v: string | number | null) => `<td>${escapeHtml(v === null ? '' : String(v))}</td>`;
  const open = (id: string | null) => (id ? `<td><a href="/dashboard/conversations/${encodeURIComponent(id)}?lang=${locale}">${t('viewTranscript')}</a></td>` : '<td></td>');
  const surveys = rows.kind === 'surveys';
  const visits = query.figure === 'followUp';
  const columns = surveys
    ? ['sentAt', 'status', ...(visits ? ['service', 'product', 'price'] : []), 'score', 'nps', 'comment', 'trigger', 'channel', 'agent', 'followUp', 'conversation']
    : ['ticket', 'category', 'status', 'agent', 'createdAt', 'responseDue', 'respondedAt', 'resolutionDue', 'resolvedAt', 'conversation'];
  const body = rows.rows
    .map((r) => {
      if (surveys) {
        const s = r as SurveyLine;
        const items = visits ? [s.serviceScore, s.productScore, s.priceScore] : [];
        return `<tr>${[at(s.sentAt), i18n.t(locale, `dashboard.surveyStatus.${s.status}`), ...items, s.score, s.nps, s.comment, i18n.t(locale, `dashboard.trigger.${s.trigger}`), s.channel, s.agent, s.followUpTicket].map(cell).join('')}${open(s.conversationId)}</tr>`;
      }
      const k = r as TicketLine;
      return `<tr>${[k.number, i18n.t(locale, `tickets.category.${k.category}`), i18n.t(locale, `tickets.status.${k.status}`), k.owner, at(k.createdAt), at(k.firstResponseDueAt), at(k.firstRespondedAt), at(k.resolutionDueAt), at(k.resolvedAt)].map(cell).join('')}${open(k.conversationId)}</tr>`;
    })
    .join('');
  const { page: _page, figure, score, question, ...report } = query;
  const base = { figure, ...(score ? { score: String(score) } : {}), ...(question ? { question } : {}) };
  const pageLink = (page: number, key: string) => `<a id="page-${key}" href="/dashboard/rows?${escapeHtml(queryString(report, locale, { ...base, page: String(page) }))}">${t(`rows.${key}`)}</a>`;
  const nav = [rows.page > 1 ? pageLink(rows.page - 1, 'previous') : '', rows.more ? pageLink(rows.page + 1, 'next') : ''].join('');
  const title = `${t(`rows.figure.${figure}`)}${score ? ` (${score})` : ''}${question ? ` (${t(`questions.${question}`)})` : ''}`;
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head>
<body><header><h1>${title}</h1><span>${t('rows.range', { from: query.from, to: query.to, page: rows.page })}</span><a href="/dashboard?${escapeHtml(queryString(report, locale))}">${t('transcript.back')}</a></header>
<main><section><table id="rows"><tr>${columns.map((c) => `<th>${t(`rows.columns.${c}`)}</th>`).join('')}</tr>${body}</table>${rows.rows.length ? '' : `<p>${t('rows.none')}</p>`}<nav class="pages">${nav}</nav></section></main></body></html>`;
}

export function renderTranscript(view: { conversationId: string; channel: string; messages: { at: Date; sender: string; text: string }[] }, locale: Locale, timeZone: string, i18n: I18n): string {
  const t = (key: string) => escapeHtml(i18n.t(locale, `dashboard.${key}`));
  const time = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'medium' });
  const rows = view.messages.map((l) => `<tr><td>${escapeHtml(time.format(l.at))}</td><td>${t(`transcript.${l.sender}`)}</td><td>${escapeHtml(l.text)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${t('transcript.title')}</title><style>${STYLE}</style></head>
<body><header><h1>${t('transcript.title')} ${escapeHtml(view.conversationId)}</h1><span>${escapeHtml(view.channel)}</span><a href="/dashboard?lang=${locale}">${t('transcript.back')}</a></header>
<main><section><table id="transcript">${rows}</table></section></main></body></html>`;
}
