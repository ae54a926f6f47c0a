import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import type { SegmentFigures, SegmentReport } from '../segments';
import {
  TARGETS,
  bucketOf,
  change,
  complaintRate,
  csatAverage,
  groupBy,
  netPromoterScore,
  resolutionRate,
  responseRate,
  satisfactionRate,
  withinSla,
  type Granularity,
  type Ratio,
  type SurveyRow,
  type TicketRow,
} from './formulas';

const DAY = 86_400_000;
/** The longest range a report covers (two years and a day: a yearly review against the year before). */
export const MAX_RANGE_DAYS = 731;
export const GRANULARITIES: Granularity[] = ['day', 'week', 'quarter'];
/** The ticket kinds with a handbook deadline, in the dashboard's order. */
export const SLA_CATEGORIES = ['consultation', 'complaint', 'return', 'exchange', 'repair'] as const;

export interface ReportQuery {
  /** First and last shop-local day, YYYY-MM-DD (both included). */
  from: string;
  to: string;
  granularity: Granularity;
}

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
  /** Customers by value and stage, churn and care messages (null without the segments feature). */
  segments: SegmentReport | null;
}

/**
 * The managers' figures for a range of shop-local days: satisfaction (surveys sent in the range),
 * service (tickets opened in the range, their deadlines as of now), complaints per 100 orders
 * against the previous range of the same length, by day / week / quarter and per agent, and the
 * low scores to work through. The formulas are in formulas.ts.
 */
export class DashboardReports {
  constructor(private readonly deps: { db: Db; timeZone: string; clock: () => Date; lowScore: number; segments?: Pick<SegmentFigures, 'report'> }) {}

  /** Checks a query from the outside (400 with the reason otherwise). */
  parse(input: Record<string, unknown>): ReportQuery {
    const known = new Set(['from', 'to', 'granularity', 'lang', 'format']);
    const unknown = Object.keys(input).filter((k) => !known.has(k));
    if (unknown.length) throw new AppError('invalid_request', `Unknown filter: ${unknown.join(', ')} (use from, to, granularity)`);
    const today = bucketOf(this.deps.clock(), 'day', this.deps.timeZone);
    const from = typeof input.from === 'string' && input.from ? input.from : shiftDay(today, -29);
    const to = typeof input.to === 'string' && input.to ? input.to : today;
    for (const [name, value] of [['from', from], ['to', to]]) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
        throw new AppError('invalid_request', `${name} must be a date YYYY-MM-DD, not "${value}"`);
      }
    }
    if (from > to) throw new AppError('invalid_request', `The range runs backwards: from ${from} is after to ${to}`);
    if (days(from, to) > MAX_RANGE_DAYS) throw new AppError('invalid_request', `The range is ${days(from, to)} days long; at most ${MAX_RANGE_DAYS} days`);
    const granularity = (input.granularity ?? 'day') as Granularity;
    if (!GRANULARITIES.includes(granularity)) throw new AppError('invalid_request', `granularity must be one of ${GRANULARITIES.join(', ')}`);
    return { from, to, granularity };
  }

  async report(query: ReportQuery): Promise<Report> {
    const { db, timeZone } = this.deps;
    const now = this.deps.clock();
    const start = this.startOf(query.from);
    const end = this.startOf(shiftDay(query.to, 1));
    const length = days(query.from, query.to);
    const previousFrom = shiftDay(query.from, -length);
    const previousTo = shiftDay(query.from, -1);
    const previousStart = this.startOf(previousFrom);

    const [surveys, tickets, orders, previousOrders, previousComplaints] = await Promise.all([
      db.survey.findMany({
        where: { sentAt: { gte: start, lt: end } },
        select: { id: true, status: true, score: true, nps: true, agentId: true, answeredAt: true, sentAt: true, comment: true, conversationId: true, trigger: true, followUpTicketId: true },
      }),
      db.ticket.findMany({
        where: { createdAt: { gte: start, lt: end } },
        select: { category: true, ownerId: true, createdAt: true, firstResponseDueAt: true, firstRespondedAt: true, resolutionDueAt: true, resolvedAt: true },
      }),
      db.order.count({ where: { createdAt: { gte: start, lt: end } } }),
      db.order.count({ where: { createdAt: { gte: previousStart, lt: start } } }),
      db.ticket.count({ where: { category: 'complaint', createdAt: { gte: previousStart, lt: start } } }),
    ]);
    const agentIds = [...new Set([...surveys.map((s) => s.agentId), ...tickets.map((t) => t.ownerId)].filter((id): id is string => id !== null))];
    const agents = new Map((await db.agent.findMany({ where: { id: { in: agentIds } }, select: { id: true, name: true } })).map((a) => [a.id, a.name]));

    const complaints = tickets.filter((t) => t.category === 'complaint').length;
    const rate = complaintRate(complaints, orders);
    const previousRate = complaintRate(previousComplaints, previousOrders);
    const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
    for (const s of surveys) if (s.score !== null) distribution[String(s.score) as keyof typeof distribution]++;
    const ticketsByAgent = groupBy(tickets, (t) => t.ownerId);

    return {
      period: { ...query, previousFrom, previousTo },
      targets: TARGETS,
      satisfaction: { ...figures(surveys), distribution },
      trend: [...groupBy(surveys, (s) => bucketOf(s.sentAt!, query.granularity, timeZone)).entries()].map(([period, rows]) => ({ period, ...figures(rows) })),
      byAgent: [...new Set([...groupBy(surveys, (s) => s.agentId).keys(), ...ticketsByAgent.keys()])].sort().map((agentId) => {
        const own = ticketsByAgent.get(agentId) ?? [];
        return {
          agentId,
          agent: agents.get(agentId) ?? agentId,
          ...figures(surveys.filter((s) => s.agentId === agentId)),
          responseWithinSla: withinSla(own, 'response', now).rate,
          resolutionWithinSla: withinSla(own, 'resolution', now).rate,
        };
      }),
      sla: SLA_CATEGORIES.map((category) => {
        const rows: TicketRow[] = tickets.filter((t) => t.category === category);
        return { category, tickets: rows.length, response: withinSla(rows, 'response', now), resolution: withinSla(rows, 'resolution', now) };
      }),
      tickets: { opened: tickets.length, resolved: tickets.filter((t) => t.resolvedAt !== null).length, resolutionRate: resolutionRate(tickets) },
      complaints: { complaints, orders, rate, previousRate, change: change(rate, previousRate) },
      lowScores: await this.lowScores(surveys, agents),
      segments: this.deps.segments ? await this.deps.segments.report({ from: query.from, to: query.to, startOf: (day) => this.startOf(day), now }) : null,
    };
  }

  private async lowScores(surveys: (SurveyRow & { id: string; comment: string | null; conversationId: string; trigger: string; followUpTicketId: string | null })[], agents: Map<string, string>): Promise<LowScore[]> {
    const low = surveys.filter((s) => s.score !== null && s.score <= this.deps.lowScore).sort((a, b) => b.answeredAt!.getTime() - a.answeredAt!.getTime());
    const ticketIds = low.map((s) => s.followUpTicketId).filter((id): id is string => id !== null);
    const numbers = new Map((await this.deps.db.ticket.findMany({ where: { id: { in: ticketIds } }, select: { id: true, number: true } })).map((t) => [t.id, t.number]));
    return low.map((s) => ({
      surveyId: s.id,
      score: s.score!,
      comment: s.comment,
      answeredAt: s.answeredAt!.toISOString(),
      conversationId: s.conversationId,
      trigger: s.trigger,
      agent: s.agentId ? (agents.get(s.agentId) ?? s.agentId) : null,
      followUpTicket: s.followUpTicketId ? (numbers.get(s.followUpTicketId) ?? null) : null,
    }));
  }

  /** Midnight starting a shop-local day. */
  private startOf(day: string): Date {
    const noonUtc = new Date(`${day}T12:00:00Z`);
    const local = new Intl.DateTimeFormat('en-US', { timeZone: this.deps.timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' }).formatToParts(noonUtc);
    const hour = Number(local.find((p) => p.type === 'hour')!.value);
    const minute = Number(local.find((p) => p.type === 'minute')!.value);
    const offsetMinutes = hour * 60 + minute - 12 * 60;
    return new Date(Date.parse(`${day}T00:00:00Z`) - offsetMinutes * 60_000);
  }
}

function figures(rows: SurveyRow[]): SatisfactionFigures {
  return {
    answered: rows.filter((r) => r.score !== null).length,
    sent: rows.filter((r) => r.status !== 'SCHEDULED' && r.status !== 'SKIPPED').length,
    satisfactionRate: satisfactionRate(rows),
    csatAverage: csatAverage(rows),
    nps: netPromoterScore(rows),
    responseRate: responseRate(rows),
  };
}

function shiftDay(day: string, by: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + by * DAY).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
function days(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY) + 1;
}
