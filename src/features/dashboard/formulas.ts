/**
 * Every figure of the managers' dashboard, written once, as pure functions over the rows they count
 * (README "Dashboard figures" gives the same definitions). A figure over no rows is null ("-"), never 0.
 */

/** The shop's targets (service handbooks). */
export const TARGETS = { satisfactionRate: 0.9, resolutionRate: 0.85 } as const;

export interface SurveyRow {
  status: string;
  score: number | null;
  nps: number | null;
  agentId: string | null;
  answeredAt: Date | null;
  sentAt: Date | null;
}

export interface TicketRow {
  category: string;
  ownerId: string | null;
  createdAt: Date;
  firstResponseDueAt: Date | null;
  firstRespondedAt: Date | null;
  resolutionDueAt: Date | null;
  resolvedAt: Date | null;
}

export type Ratio = number | null;

const ratio = (part: number, whole: number): Ratio => (whole === 0 ? null : part / whole);

/** Satisfaction rate: answers of 4 or 5 / all answers (1-5). Target 90 %. */
export function satisfactionRate(rows: Pick<SurveyRow, 'score'>[]): Ratio {
  const scored = rows.filter((r) => r.score !== null);
  return ratio(scored.filter((r) => r.score! >= 4).length, scored.length);
}

/** CSAT average: the mean of the 1-5 answers. */
export function csatAverage(rows: Pick<SurveyRow, 'score'>[]): number | null {
  const scores = rows.map((r) => r.score).filter((s): s is number => s !== null);
  return scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null;
}

/** NPS: % promoters (9-10) minus % detractors (0-6) among the 0-10 answers, from -100 to 100. */
export function netPromoterScore(rows: Pick<SurveyRow, 'nps'>[]): number | null {
  const answers = rows.map((r) => r.nps).filter((n): n is number => n !== null);
  if (!answers.length) return null;
  const promoters = answers.filter((n) => n >= 9).length;
  const detractors = answers.filter((n) => n <= 6).length;
  return (100 * (promoters - detractors)) / answers.length;
}

/** Response rate: surveys answered / surveys sent (answered, still open or expired). */
export function responseRate(rows: Pick<SurveyRow, 'status'>[]): Ratio {
  const sent = rows.filter((r) => r.status === 'SENT' || r.status === 'ANSWERED' || r.status === 'EXPIRED');
  return ratio(sent.filter((r) => r.status === 'ANSWERED').length, sent.length);
}

/**
 * Whether a deadline was kept, as of `now`: met (done by the deadline), missed (done late, or not done
 * and past the deadline), or undecided (not done, deadline still ahead; no deadline: not counted).
 */
export function deadlineOutcome(due: Date | null, done: Date | null, now: Date): 'met' | 'missed' | undefined {
  if (!due) return undefined;
  if (done) return done <= due ? 'met' : 'missed';
  return now > due ? 'missed' : undefined;
}

/** Share of decided deadlines that were met (first response or resolution), per the ticket's own SLA. */
export function withinSla(rows: TicketRow[], target: 'response' | 'resolution', now: Date): { met: number; decided: number; rate: Ratio } {
  let met = 0;
  let decided = 0;
  for (const t of rows) {
    const outcome = target === 'response' ? deadlineOutcome(t.firstResponseDueAt, t.firstRespondedAt, now) : deadlineOutcome(t.resolutionDueAt, t.resolvedAt, now);
    if (!outcome) continue;
    decided++;
    if (outcome === 'met') met++;
  }
  return { met, decided, rate: ratio(met, decided) };
}

/** Resolution rate: tickets opened in the period that are resolved (or closed) / tickets opened. Target 85 %. */
export function resolutionRate(rows: Pick<TicketRow, 'resolvedAt'>[]): Ratio {
  return ratio(rows.filter((r) => r.resolvedAt !== null).length, rows.length);
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

/** The period a time falls in, in the shop's time zone: 2026-11-26, 2026-W48 (ISO week), 2026-Q4. */
export function bucketOf(at: Date, granularity: Granularity, timeZone: string): string {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at).split('-').map(Number);
  if (granularity === 'day') return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (granularity === 'quarter') return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
  // ISO week: the week with the year's first Thursday is week 1.
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Rows grouped by a key, keys in order. */
export function groupBy<T>(rows: T[], key: (row: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const list = groups.get(k) ?? [];
    list.push(row);
    groups.set(k, list);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
