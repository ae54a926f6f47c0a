import type { Locale } from '../../config/locales';
import type { I18n } from '../../i18n/i18n';
import type { Ratio } from './formulas';
import type { Report } from './report';

export const TABLES = ['distribution', 'trend', 'agents', 'sla', 'lowScores', 'followUpQuestions', 'churn', 'customerSegments', 'movements', 'care'] as const;
export type TableName = (typeof TABLES)[number];

export type Cell = string | number;

export interface Table {
  name: TableName;
  columns: string[];
  rows: Cell[][];
  /** The conversation each row drills down to (low scores). */
  links?: (string | null)[];
  /** The drill-down each row's first cell opens (its parameters on top of the report's). */
  drill?: (Record<string, string> | null)[];
}

export const percent = (r: Ratio): string => (r === null ? '-' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`);
export const decimal = (n: number | null, digits = 2): string => (n === null ? '-' : n.toFixed(digits));

/** The dashboard's tables as they are shown and exported (the same cells in the page and in the CSV). */
export function reportTables(report: Report, locale: Locale, i18n: I18n, timeZone: string): Table[] {
  const t = (key: string) => i18n.t(locale, `dashboard.${key}`);
  const col = (...keys: string[]) => keys.map((k) => t(`columns.${k}`));
  const time = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  return [
    {
      name: 'distribution',
      columns: col('score', 'count'),
      rows: (['5', '4', '3', '2', '1'] as const).map((s) => [`${s} ${i18n.t(locale, `surveys.scale.${s}`)}`, report.satisfaction.distribution[s]]),
      drill: (['5', '4', '3', '2', '1'] as const).map((score) => ({ figure: 'surveys', score })),
    },
    {
      name: 'trend',
      columns: col('period', 'sent', 'answered', 'satisfactionRate', 'csatAverage', 'nps', 'responseRate'),
      rows: report.trend.map((p) => [p.period, p.sent, p.answered, percent(p.satisfactionRate), decimal(p.csatAverage), decimal(p.nps, 0), percent(p.responseRate)]),
    },
    {
      name: 'agents',
      columns: col('agent', 'answered', 'satisfactionRate', 'csatAverage', 'responseWithinSla', 'resolutionWithinSla'),
      rows: report.byAgent.map((a) => [a.agent, a.answered, percent(a.satisfactionRate), decimal(a.csatAverage), percent(a.responseWithinSla), percent(a.resolutionWithinSla)]),
    },
    {
      name: 'sla',
      columns: col('category', 'tickets', 'responseSla', 'resolutionSla'),
      rows: report.sla.map((s) => [
        t(`category.${s.category}`),
        s.tickets,
        s.response.decided ? `${percent(s.response.rate)} (${s.response.met}/${s.response.decided})` : '-',
        s.resolution.decided ? `${percent(s.resolution.rate)} (${s.resolution.met}/${s.resolution.decided})` : '-',
      ]),
      drill: report.sla.map((s) => ({ figure: 'tickets', category: s.category })),
    },
    {
      name: 'lowScores',
      columns: col('answeredAt', 'score', 'comment', 'agent', 'trigger', 'followUp', 'conversation'),
      rows: report.lowScores.map((l) => [time.format(new Date(l.answeredAt)), l.score, l.comment ?? '', l.agent ?? '', t(`trigger.${l.trigger}`), l.followUpTicket ?? '', l.conversationId]),
      links: report.lowScores.map((l) => l.conversationId),
    },
    {
      name: 'followUpQuestions',
      columns: col('question', 'answered', 'csatAverage', 'satisfactionRate'),
      rows: report.followUp.map((q) => [t(`questions.${q.question}`), q.answered, decimal(q.average), percent(q.satisfactionRate)]),
      drill: report.followUp.map((q) => ({ figure: 'followUp', question: q.question })),
    },
    ...segmentTables(report, locale, i18n),
  ];
}

/** The segments section: churn and retention per month, the stage and class distribution, the movements, the care messages. */
function segmentTables(report: Report, locale: Locale, i18n: I18n): Table[] {
  const s = report.segments;
  if (!s) return [];
  const t = (key: string) => i18n.t(locale, `dashboard.${key}`);
  const col = (...keys: string[]) => keys.map((k) => t(`columns.${k}`));
  const name = (kind: string, value: string) => t(`segments.${kind === 'class' ? 'class' : 'stage'}.${value}`);
  return [
    {
      name: 'churn',
      columns: col('month', 'base', 'lost', 'churnRate', 'active', 'kept', 'retention', 'turnedDormant'),
      rows: s.months.map((m) => [m.month, m.base, m.lost, percent(m.churnRate), m.active, m.kept, percent(m.retention), m.turnedDormant]),
    },
    {
      name: 'customerSegments',
      columns: col('segment', 'customers'),
      rows: [
        ...Object.entries(s.distribution.classes).map(([k, v]) => [name('class', k), v]),
        ...Object.entries(s.distribution.stages).map(([k, v]) => [name('stage', k), v]),
      ],
    },
    { name: 'movements', columns: col('from', 'to', 'count'), rows: s.movements.map((m) => [name(m.kind, m.from), name(m.kind, m.to), m.count]) },
    {
      name: 'care',
      columns: col('careKind', 'planned', 'sent', 'skipped', 'replied', 'optedOut', 'converted'),
      rows: s.care.map((c) => [t(`segments.care.${c.kind}`), c.planned, c.sent, c.skipped, c.replied, c.optedOut, c.converted]),
    },
  ];
}

/** RFC 4180 CSV with a UTF-8 byte order mark (Excel opens Chinese correctly); formulas neutralised. */
export function toCsv(table: Table): string {
  const cell = (v: Cell) => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\ufeff${[table.columns, ...table.rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
