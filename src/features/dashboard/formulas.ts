/**
 * Every figure of the managers' dashboard, written once: the counts it needs (SQL aggregates) and the
 * arithmetic over them (README "Dashboard figures" gives the same definitions). A figure over no rows
 * is null ("-"), never 0.
 */

import type { LongFormItem } from '../surveys';

/** The shop's targets (service handbooks). */
export const TARGETS = { satisfactionRate: 0.9, resolutionRate: 0.85 } as const;

export type Ratio = number | null;

const ratio = (part: number, whole: number): Ratio => (whole === 0 ? null : part / whole);

/**
 * Each figure is two halves written side by side: the counts it needs, as SQL aggregates the store
 * computes over the rows of the range (the same text on SQLite and PostgreSQL), and the arithmetic
 * that turns those counts into the figure. Counts add up, so a period's or an agent's figures are the
 * same formulas over that group's counts. `:now` is the report's "now" (deadlines still ahead are undecided).
 */
const sum = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

/** The counts of "Survey" rows behind the satisfaction figures. */
export const SURVEY_COUNTS = {
  /** Surveys sent: answered, still open or expired (not those scheduled or skipped). */
  sent: sum(`"status" IN ('SENT', 'ANSWERED', 'EXPIRED')`),
  /** Surveys answered (the response rate's numerator). */
  responded: sum(`"status" = 'ANSWERED'`),
  /** 1-5 answers. */
  scored: 'COUNT("score")',
  /** 4-5 answers. */
  satisfied: sum(`"score" >= 4`),
  scoreSum: 'COALESCE(SUM("score"), 0)',
  s1: sum(`"score" = 1`),
  s2: sum(`"score" = 2`),
  s3: sum(`"score" = 3`),
  s4: sum(`"score" = 4`),
  s5: sum(`"score" = 5`),
  /** 0-10 answers, of which 9-10 (promoters) and 0-6 (detractors). */
  npsAnswers: 'COUNT("nps")',
  promoters: sum(`"nps" >= 9`),
  detractors: sum(`"nps" <= 6`),
} as const;
export type SurveyCounts = Record<keyof typeof SURVEY_COUNTS, number>;

/**
 * The follow-up visit's questions (surveys triggered by followup_visit) and the column each answer is
 * kept in; overall is the visit's score (the short form asks only that one).
 */
export const FOLLOW_UP_COLUMNS = { service: '"serviceScore"', product: '"productScore"', price: '"priceScore"', overall: '"score"' } as const satisfies Record<LongFormItem, string>;
export type FollowUpQuestion = keyof typeof FOLLOW_UP_COLUMNS;

/** The counts behind one question's figures: the satisfaction rate and the average apply to them as to the CSAT score. */
export function questionCounts(question: FollowUpQuestion): Record<'scored' | 'scoreSum' | 'satisfied', string> {
  const column = FOLLOW_UP_COLUMNS[question];
  return { scored: `COUNT(${column})`, scoreSum: `COALESCE(SUM(${column}), 0)`, satisfied: sum(`${column} >= 4`) };
}

/** A deadline kept: done by it. Missed: done after it, or not done and past it. Neither (no deadline, or still ahead): not counted. */
const deadline = (due: string, done: string) => ({
  met: `${due} IS NOT NULL AND ${done} IS NOT NULL AND ${done} <= ${due}`,
  missed: `${due} IS NOT NULL AND ((${done} IS NOT NULL AND ${done} > ${due}) OR (${done} IS NULL AND ${due} < :now))`,
});
const response = deadline('"firstResponseDueAt"', '"firstRespondedAt"');
const resolution = deadline('"resolutionDueAt"', '"resolvedAt"');

/** The tickets behind a number (the drill-down): the same conditions the counts below add up. */
export const TICKET_CONDITIONS = {
  tickets: '1 = 1',
  unresolved: '"resolvedAt" IS NULL',
  responseMissed: response.missed,
  resolutionMissed: resolution.missed,
} as const;

/** The counts of "Ticket" rows behind the service figures. */
export const TICKET_COUNTS = {
  opened: 'COUNT(*)',
  /** Resolved or closed (resolvedAt stays set when a resolved ticket is closed). */
  resolved: 'COUNT("resolvedAt")',
  responseMet: sum(response.met),
  responseMissed: sum(response.missed),
  resolutionMet: sum(resolution.met),
  resolutionMissed: sum(resolution.missed),
} as const;
export type TicketCounts = Record<keyof typeof TICKET_COUNTS, number>;

/** The SELECT list of a set of counts: `<aggregate> AS "<name>"`, ... */
export function selectCounts(counts: Record<string, string>): string {
  return Object.entries(counts)
    .map(([name, sql]) => `${sql} AS "${name}"`)
    .join(', ');
}

/** Counts as numbers (the stores return bigints, decimals or text for aggregates). */
export function readCounts<K extends string>(counts: Record<K, string>, row: Record<string, unknown> | undefined): Record<K, number> {
  return Object.fromEntries(Object.keys(counts).map((k) => [k, Number(row?.[k] ?? 0)])) as Record<K, number>;
}

/** Counts of several groups added up (a figure over the whole range from its periods). */
export function addCounts<K extends string>(keys: Record<K, string>, groups: Record<K, number>[]): Record<K, number> {
  return Object.fromEntries(Object.keys(keys).map((k) => [k, groups.reduce((n, g) => n + g[k as K], 0)])) as Record<K, number>;
}

/** Satisfaction rate: answers of 4 or 5 / all answers (1-5). Target 90 %. */
export function satisfactionRate(c: Pick<SurveyCounts, 'satisfied' | 'scored'>): Ratio {
  return ratio(c.satisfied, c.scored);
}

/** CSAT average: the mean of the 1-5 answers. */
export function csatAverage(c: Pick<SurveyCounts, 'scoreSum' | 'scored'>): number | null {
  return c.scored ? c.scoreSum / c.scored : null;
}

/** NPS: % promoters (9-10) minus % detractors (0-6) among the 0-10 answers, from -100 to 100. */
export function netPromoterScore(c: Pick<SurveyCounts, 'promoters' | 'detractors' | 'npsAnswers'>): number | null {
  return c.npsAnswers ? (100 * (c.promoters - c.detractors)) / c.npsAnswers : null;
}

/** Response rate: surveys answered / surveys sent (answered, still open or expired). */
export function responseRate(c: Pick<SurveyCounts, 'responded' | 'sent'>): Ratio {
  return ratio(c.responded, c.sent);
}

/** Share of decided deadlines that were met (first response or resolution), per the ticket's own SLA. */
export function withinSla(c: TicketCounts, target: 'response' | 'resolution'): { met: number; decided: number; rate: Ratio } {
  const met = target === 'response' ? c.responseMet : c.resolutionMet;
  const decided = met + (target === 'response' ? c.responseMissed : c.resolutionMissed);
  return { met, decided, rate: ratio(met, decided) };
}

/** Resolution rate: tickets opened in the period that are resolved (or closed) / tickets opened. Target 85 %. */
export function resolutionRate(c: Pick<TicketCounts, 'resolved' | 'opened'>): Ratio {
  return ratio(c.resolved, c.opened);
}

/** Complaint rate: complaint tickets per 100 orders placed in the period. */
export function complaintRate(complaints: number, orders: number): number | null {
  return orders === 0 ? null : (100 * complaints) / orders;
}

/** Change of a figure against the previous period of the same length, as a fraction (-0.2 = down 20 %). */
export function change(current: number | null, previous: number | null): Ratio {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / previous;
}

export type Granularity = 'day' | 'week' | 'quarter';

/** The period a shop-local day (YYYY-MM-DD) falls in: 2026-11-26, 2026-W48 (ISO week), 2026-Q4. */
export function periodOf(day: string, granularity: Granularity): string {
  const [y, m, d] = day.split('-').map(Number);
  if (granularity === 'day') return day;
  if (granularity === 'quarter') return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
  // ISO week: the week with the year's first Thursday is week 1.
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The period a time falls in, in the shop's time zone. */
export function bucketOf(at: Date, granularity: Granularity, timeZone: string): string {
  return periodOf(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at), granularity);
}
