import type { Locale } from '../../config/locales';
import { AppError } from '../../errors';
import type { I18n } from '../../i18n/i18n';
import type { Db, Provider } from '../../store/db';
import type { SegmentFigures, SegmentReport } from '../segments';
import {
  SURVEY_COUNTS,
  TARGETS,
  TICKET_COUNTS,
  addCounts,
  change,
  complaintRate,
  csatAverage,
  netPromoterScore,
  periodOf,
  readCounts,
  resolutionRate,
  responseRate,
  satisfactionRate,
  selectCounts,
  withinSla,
  type Ratio,
  type SurveyCounts,
  type TicketCounts,
} from './formulas';
import { followUpFigures, type QuestionFigures } from './followUp';
import { dashboardTexts, days, parseQuery, refusal, shiftDay, startOfDay, today, type ReportQuery } from './query';
import { DashboardSql, filterParams, surveyFilters, ticketFilters, where } from './sql';

export { GRANULARITIES, MAX_RANGE_DAYS, type ReportQuery } from './query';
/** The ticket kinds with a handbook deadline, in the dashboard's order. */
export const SLA_CATEGORIES = ['consultation', 'complaint', 'return', 'exchange', 'repair'] as const;
/** The low scores listed in the report, newest first (the drill-down lists them all). */
export const LOW_SCORES_LISTED = 100;

export interface SatisfactionFigures {
  answered: number;
  sent: number;
  satisfactionRate: Ratio;
  csatAverage: number | null;
  nps: number | null;
  responseRate: Ratio;
}

export interface LowScore {
  surveyId: string;
  score: number;
  comment: string | null;
  answeredAt: string;
  conversationId: string;
  trigger: string;
  agent: string | null;
  followUpTicket: string | null;
}

export interface Report {
  period: ReportQuery & { previousFrom: string; previousTo: string };
  targets: typeof TARGETS;
  satisfaction: SatisfactionFigures & { distribution: Record<'1' | '2' | '3' | '4' | '5', number> };
  trend: (SatisfactionFigures & { period: string })[];
  byAgent: (SatisfactionFigures & { agentId: string; agent: string; responseWithinSla: Ratio; resolutionWithinSla: Ratio })[];
  sla: { category: string; tickets: number; response: ReturnType<typeof withinSla>; resolution: ReturnType<typeof withinSla> }[];
  tickets: { opened: number; resolved: number; resolutionRate: Ratio };
  complaints: { complaints: number; orders: number; rate: number | null; previousRate: number | null; change: Ratio };
  lowScores: LowScore[];
  /** The follow-up visits' questions (service, product, price, overall): answers, average, satisfaction rate. */
  followUp: QuestionFigures[];
  /** Customers by value and stage, churn and care messages (null without the segments feature, or for an agent's own figures). */
  segments: SegmentReport | null;
}

/** Who asks: an agent sees only their own figures (their surveys and tickets); the other roles see all. */
export interface Viewer {
  id: string;
  seesAll: boolean;
}

export interface ReportOptions {
  viewer?: Viewer;
  locale?: Locale;
}

/**
 * The managers' figures for a range of shop-local days: satisfaction (surveys sent in the range),
 * service (tickets opened in the range, their deadlines as of now), complaints per 100 orders
 * against the previous range of the same length, by day / week / quarter and per agent, and the
 * low scores to work through. Each figure is aggregated in the store (formulas.ts: the counts in SQL,
 * the arithmetic over them), filtered by agent, ticket kind, channel and survey trigger.
 */
export class DashboardReports {
  readonly sql: DashboardSql;

  constructor(private readonly deps: { db: Db; provider: Provider; timeZone: string; clock: () => Date; lowScore: number; segments?: Pick<SegmentFigures, 'report'>; i18n?: I18n }) {
    this.sql = new DashboardSql(deps.db, deps.provider);
  }

  /** Checks a query from the outside (400 with the reason, in `locale`, otherwise). */
  parse(input: Record<string, unknown>, locale: Locale = 'en-US', keep?: string[]): ReportQuery {
    return parseQuery(input, { today: today(this.deps.clock, this.deps.timeZone), locale, i18n: dashboardTexts(this.deps.i18n), keep });
  }

  /** The query as the viewer may run it: an agent's figures are their own (403 for another agent's); agents and channels asked for exist (400). */
  async scope(query: ReportQuery, options: ReportOptions = {}): Promise<ReportQuery> {
    const locale = options.locale ?? 'en-US';
    const i18n = dashboardTexts(this.deps.i18n);
    const viewer = options.viewer;
    if (viewer && !viewer.seesAll) {
      if (query.agent && query.agent !== viewer.id) throw new AppError('forbidden', i18n.t(locale, 'dashboard.errors.ownFiguresOnly'));
      query = { ...query, agent: viewer.id };
    } else if (query.agent && !(await this.deps.db.agent.findUnique({ where: { id: query.agent }, select: { id: true } }))) {
      throw refusal(i18n, locale, 'unknownStored', { name: 'agent', value: query.agent });
    }
    if (query.channel && !(await this.deps.db.conversation.findFirst({ where: { channelId: query.channel }, select: { id: true } }))) {
      throw refusal(i18n, locale, 'unknownStored', { name: 'channel', value: query.channel });
    }
    return query;
  }

  async report(asked: ReportQuery, options: ReportOptions = {}): Promise<Report> {
    const query = await this.scope(asked, options);
    const now = this.deps.clock();
    const start = this.startOf(query.from);
    const end = this.startOf(shiftDay(query.to, 1));
    const length = days(query.from, query.to);
    const previousFrom = shiftDay(query.from, -length);
    const previousTo = shiftDay(query.from, -1);
    const previousStart = this.startOf(previousFrom);
    const params = { ...filterParams(query), start, end, now };
    const sql = this.sql;

    const surveyWhere = where([`s."sentAt" >= :start`, `s."sentAt" < :end`, ...surveyFilters(query)]);
    const ticketWhere = where([`t."createdAt" >= :start`, `t."createdAt" < :end`, ...ticketFilters(query)]);
    const seesAll = !options.viewer || options.viewer.seesAll;
    const [surveys, ticketGroups, orders, previousComplaints, lowScores, followUp, segments] = await Promise.all([
      this.surveyGroups(query, surveyWhere, params),
      // One pass over the range's tickets, by kind and owner: the figures per kind and per agent are its sums.
      sql.rows(`SELECT CAST(t."category" AS TEXT) AS "category", t."ownerId" AS "owner", ${selectCounts(TICKET_COUNTS)} FROM "Ticket" t ${ticketWhere} GROUP BY t."category", t."ownerId"`, params),
      sql.rows(`SELECT (SELECT COUNT(*) FROM "Order" WHERE "createdAt" >= :start AND "createdAt" < :end) AS "current",
                       (SELECT COUNT(*) FROM "Order" WHERE "createdAt" >= :previousStart AND "createdAt" < :start) AS "previous"`, { start, end, previousStart }),
      sql.rows(`SELECT COUNT(*) AS "n" FROM "Ticket" t ${where([`t."createdAt" >= :previousStart`, `t."createdAt" < :start`, `t."category" = 'complaint'`, ...ticketFilters({ ...query, category: undefined })])}`, {
        ...filterParams({ ...query, category: undefined }),
        previousStart,
        start,
      }),
      this.lowScores(surveyWhere, params),
      followUpFigures(sql, surveyWhere, params),
      this.deps.segments && seesAll ? this.deps.segments.report({ from: query.from, to: query.to, startOf: (day) => this.startOf(day), now }) : null,
    ]);

    const { byPeriod, byAgent: surveysByAgent } = surveys;
    const byCategory = sumBy(TICKET_COUNTS, ticketGroups, (r) => String(r.category));
    const ticketsByAgent = sumBy(
      TICKET_COUNTS,
      ticketGroups.filter((r) => r.owner !== null && r.owner !== undefined),
      (r) => String(r.owner),
    );
    const all = addCounts(SURVEY_COUNTS, [...byPeriod.values()]);
    const tickets = addCounts(TICKET_COUNTS, [...byCategory.values()]);
    const noTickets = addCounts(TICKET_COUNTS, []);
    const agentIds = [...new Set([...surveysByAgent.keys(), ...ticketsByAgent.keys()])].sort();
    const agents = new Map((await this.deps.db.agent.findMany({ where: { id: { in: agentIds } }, select: { id: true, name: true } })).map((a) => [a.id, a.name]));

    const complaints = byCategory.get('complaint')?.opened ?? 0;
    const orderCounts = readCounts({ current: '', previous: '' }, orders[0]);
    const rate = complaintRate(complaints, orderCounts.current);
    const previousRate = complaintRate(Number(previousComplaints[0]?.n ?? 0), orderCounts.previous);

    return {
      period: { ...query, previousFrom, previousTo },
      targets: TARGETS,
      satisfaction: { ...figures(all), distribution: { '1': all.s1, '2': all.s2, '3': all.s3, '4': all.s4, '5': all.s5 } },
      trend: [...byPeriod.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([period, c]) => ({ period, ...figures(c) })),
      byAgent: agentIds.map((agentId) => {
        const own = ticketsByAgent.get(agentId) ?? noTickets;
        return {
          agentId,
          agent: agents.get(agentId) ?? agentId,
          ...figures(surveysByAgent.get(agentId) ?? addCounts(SURVEY_COUNTS, [])),
          responseWithinSla: withinSla(own, 'response').rate,
          resolutionWithinSla: withinSla(own, 'resolution').rate,
        };
      }),
      sla: SLA_CATEGORIES.map((category) => {
        const c: TicketCounts = byCategory.get(category) ?? noTickets;
        return { category, tickets: c.opened, response: withinSla(c, 'response'), resolution: withinSla(c, 'resolution') };
      }),
      tickets: { opened: tickets.opened, resolved: tickets.resolved, resolutionRate: resolutionRate(tickets) },
      complaints: { complaints, orders: orderCounts.current, rate, previousRate, change: change(rate, previousRate) },
      lowScores,
      followUp,
      segments,
    };
  }

  /** The periods of the range (day, ISO week or quarter), each cut to the range: label and shop-local bounds. */
  private periods(query: ReportQuery): { period: string; lo: Date; hi: Date }[] {
    const out: { period: string; first: string; last: string }[] = [];
    for (let day = query.from; day <= query.to; day = shiftDay(day, 1)) {
      const period = periodOf(day, query.granularity);
      const last = out.at(-1);
      if (last?.period === period) last.last = day;
      else out.push({ period, first: day, last: day });
    }
    return out.map((p) => ({ period: p.period, lo: this.startOf(p.first), hi: this.startOf(shiftDay(p.last, 1)) }));
  }

  /**
   * The survey counts per period of the range (only periods with surveys) and per agent, from one
   * pass grouped by (period, agent) and added up here. PostgreSQL aggregates each period's index range
   * (LATERAL): joined to the list of periods, it had tested every survey against every period (0.38 s
   * for a year on one channel, bench:dashboard). SQLite has no LATERAL: it walks each period's index
   * range from the list and sorts the rows into groups; one such pass costs less than a pass per
   * period plus a pass per agent (a year by week: 26 ms against 21 + 14 ms).
   */
  private async surveyGroups(query: ReportQuery, surveyWhere: string, params: Record<string, unknown>): Promise<{ byPeriod: Map<string, SurveyCounts>; byAgent: Map<string, SurveyCounts> }> {
    const sql = this.sql;
    const periods = `WITH b("period", "lo", "hi") AS (VALUES ${this.periods(query).map((p) => `('${p.period}', ${sql.time(p.lo)}, ${sql.time(p.hi)})`).join(', ')})`;
    const rows = await sql.rows(
      sql.provider === 'postgresql'
        ? `${periods} SELECT b."period", x.* FROM b CROSS JOIN LATERAL
             (SELECT s."agentId" AS "agent", ${selectCounts(SURVEY_COUNTS)} FROM "Survey" s ${surveyWhere} AND s."sentAt" >= b."lo" AND s."sentAt" < b."hi" GROUP BY s."agentId") x`
        : `${periods} SELECT b."period", s."agentId" AS "agent", ${selectCounts(SURVEY_COUNTS)}
             FROM b JOIN "Survey" s ON s."sentAt" >= b."lo" AND s."sentAt" < b."hi" ${surveyWhere} GROUP BY b."period", s."agentId"`,
      params,
    );
    const withAgent = rows.filter((r) => r.agent !== null && r.agent !== undefined);
    return { byPeriod: sumBy(SURVEY_COUNTS, rows, (r) => String(r.period)), byAgent: sumBy(SURVEY_COUNTS, withAgent, (r) => String(r.agent)) };
  }

  /** Newest answer first; sorted on an expression, so that the store reads the range's surveys (sentAt index) rather than walking every answer in answeredAt order. */
  private async lowScores(surveyWhere: string, params: Record<string, unknown>): Promise<LowScore[]> {
    const rows = await this.sql.rows(
      `SELECT s."id", s."score", s."comment", s."answeredAt", s."conversationId", s."trigger", s."agentId", a."name" AS "agentName", t."number" AS "ticketNumber"
       FROM "Survey" s LEFT JOIN "Agent" a ON a."id" = s."agentId" LEFT JOIN "Ticket" t ON t."id" = s."followUpTicketId"
       ${surveyWhere} AND s."score" <= :lowScore ORDER BY COALESCE(s."answeredAt", s."sentAt") DESC, s."id" LIMIT ${LOW_SCORES_LISTED}`,
      { ...params, lowScore: this.deps.lowScore },
    );
    return rows.map((s) => ({
      surveyId: String(s.id),
      score: Number(s.score),
      comment: (s.comment as string | null) ?? null,
      answeredAt: DashboardSql.date(s.answeredAt)!.toISOString(),
      conversationId: String(s.conversationId),
      trigger: String(s.trigger),
      agent: s.agentId ? String(s.agentName ?? s.agentId) : null,
      followUpTicket: (s.ticketNumber as string | null) ?? null,
    }));
  }

  now(): Date {
    return this.deps.clock();
  }

  /** Midnight starting a shop-local day. */
  startOf(day: string): Date {
    return startOfDay(day, this.deps.timeZone);
  }
}

/** The counts of groups added up by `key` (the tickets' (kind, owner) groups per kind or per owner; the surveys' (period, agent) groups per period or per agent). */
function sumBy<K extends string>(counts: Record<K, string>, rows: Record<string, unknown>[], key: (row: Record<string, unknown>) => string): Map<string, Record<K, number>> {
  const groups = new Map<string, Record<K, number>[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), readCounts(counts, row)]);
  return new Map([...groups].map(([k, list]) => [k, addCounts(counts, list)]));
}

function figures(c: SurveyCounts): SatisfactionFigures {
  return {
    answered: c.scored,
    sent: c.sent,
    satisfactionRate: satisfactionRate(c),
    csatAverage: csatAverage(c),
    nps: netPromoterScore(c),
    responseRate: responseRate(c),
  };
}
