import type { Db, Provider } from '../../store/db';
import { CARE_KINDS, type CareKind } from './careTexts';
import { bound } from './facts';
import { STAGES, VALUE_CLASSES, type Stage, type ValueClass } from './rules';

/** A share, or null over nothing. */
export type Share = number | null;

/** The churn target of the CRM rules: at most 5 % of the customers lost per month. */
export const CHURN_TARGET = 0.05;

export interface MonthFigures {
  /** YYYY-MM, shop time. */
  month: string;
  /** Customers not lost at the month's start ... */
  base: number;
  /** ... of whom lost by its end (or by the range's end). */
  lost: number;
  churnRate: Share;
  /** Customers new or active at the month's start ... */
  active: number;
  /** ... still new or active at its end. */
  kept: number;
  retention: Share;
  /** ... gone dormant by its end (the churn warning). */
  turnedDormant: number;
}

export interface CareFigures {
  kind: CareKind;
  planned: number;
  sent: number;
  skipped: number;
  replied: number;
  optedOut: number;
  converted: number;
}

export interface SegmentReport {
  churnTarget: number;
  months: MonthFigures[];
  /** Customers who placed a counted order in the range, and of them those who placed two or more. */
  repurchase: { buyers: number; repeat: number; rate: Share };
  /** As the last run left them. */
  distribution: { stages: Record<Stage, number>; classes: Record<ValueClass, number> };
  /** Changes of stage and class in the range (first assignments left out). */
  movements: { kind: 'stage' | 'class'; from: string; to: string; count: number }[];
  winback: { sent: number; converted: number; rate: Share };
  care: CareFigures[];
}

export interface FiguresRange {
  /** First and last shop-local day, YYYY-MM-DD. */
  from: string;
  to: string;
  /** Midnight starting a shop-local day (the dashboard's own). */
  startOf: (day: string) => Date;
  now: Date;
}

const share = (part: number, whole: number): Share => (whole > 0 ? part / whole : null);
const n = (v: unknown): number => Number(v ?? 0);

/** The stage of every customer at an instant: their latest stage change before it. */
const STAGE_AT = (at: string) =>
  `SELECT "customerId", "toValue" AS "stage" FROM (SELECT "customerId", "toValue", ROW_NUMBER() OVER (PARTITION BY "customerId" ORDER BY "createdAt" DESC) AS "rn"
     FROM "SegmentChange" WHERE "kind" = 'stage' AND "createdAt" < ${at}) x WHERE "rn" = 1`;

/** The managers' figures of customers by value and stage, and of the care messages (the dashboard's segments section). */
export class SegmentFigures {
  constructor(
    private readonly db: Db,
    private readonly provider: Provider,
  ) {}

  async report(range: FiguresRange): Promise<SegmentReport> {
    const start = range.startOf(range.from);
    const end = new Date(Math.min(range.startOf(nextDay(range.to)).getTime(), range.now.getTime()));
    const [months, repurchase, distribution, movements, care] = await Promise.all([
      Promise.all(monthsOf(range.from, range.to).map((month) => this.month(month, range, end))),
      this.repurchase(start, end),
      this.distribution(),
      this.movements(start, end),
      this.care(start, end),
    ]);
    const winback = care.find((c) => c.kind === 'winback')!;
    return { churnTarget: CHURN_TARGET, months, repurchase, distribution, movements, winback: { sent: winback.sent, converted: winback.converted, rate: share(winback.converted, winback.sent) }, care };
  }

  private async month(month: string, range: FiguresRange, rangeEnd: Date): Promise<MonthFigures> {
    const from = range.startOf(`${month}-01`);
    const to = new Date(Math.min(range.startOf(`${nextMonth(month)}-01`).getTime(), rangeEnd.getTime()));
    const active = `('new', 'active')`;
    const [row] = await this.db.$queryRawUnsafe<Record<string, unknown>[]>(
      ...bound(
        this.provider,
        `WITH s AS (${STAGE_AT('$1')}), e AS (${STAGE_AT('$2')})
         SELECT SUM(CASE WHEN s."stage" <> 'lost' THEN 1 ELSE 0 END) AS "base",
                SUM(CASE WHEN s."stage" <> 'lost' AND e."stage" = 'lost' THEN 1 ELSE 0 END) AS "lost",
                SUM(CASE WHEN s."stage" IN ${active} THEN 1 ELSE 0 END) AS "active",
                SUM(CASE WHEN s."stage" IN ${active} AND e."stage" IN ${active} THEN 1 ELSE 0 END) AS "kept",
                SUM(CASE WHEN s."stage" IN ${active} AND e."stage" = 'dormant' THEN 1 ELSE 0 END) AS "dormant"
         FROM s JOIN e ON e."customerId" = s."customerId"`,
        [from, to],
      ),
    );
    const f = { base: n(row?.base), lost: n(row?.lost), active: n(row?.active), kept: n(row?.kept), turnedDormant: n(row?.dormant) };
    return { month, ...f, churnRate: share(f.lost, f.base), retention: share(f.kept, f.active) };
  }

  private async repurchase(start: Date, end: Date): Promise<SegmentReport['repurchase']> {
    const [row] = await this.db.$queryRawUnsafe<Record<string, unknown>[]>(
      ...bound(
        this.provider,
        `SELECT COUNT(*) AS "buyers", SUM(CASE WHEN x."orders" >= 2 THEN 1 ELSE 0 END) AS "repeat"
         FROM (SELECT "customerId", COUNT(*) AS "orders" FROM "Order" WHERE "status" NOT IN ('CREATED', 'CANCELLED') AND "createdAt" >= $1 AND "createdAt" < $2 GROUP BY "customerId") x`,
        [start, end],
      ),
    );
    const buyers = n(row?.buyers);
    const repeat = n(row?.repeat);
    return { buyers, repeat, rate: share(repeat, buyers) };
  }

  private async distribution(): Promise<SegmentReport['distribution']> {
    const [stages, classes] = await Promise.all([
      this.db.customerSegment.groupBy({ by: ['stage'], _count: { _all: true } }),
      this.db.customerSegment.groupBy({ by: ['valueClass'], _count: { _all: true } }),
    ]);
    const stageCount = new Map(stages.map((s) => [s.stage, s._count._all]));
    const classCount = new Map(classes.map((c) => [c.valueClass, c._count._all]));
    return {
      stages: Object.fromEntries(STAGES.map((s) => [s, stageCount.get(s) ?? 0])) as Record<Stage, number>,
      classes: Object.fromEntries(VALUE_CLASSES.map((c) => [c, classCount.get(c) ?? 0])) as Record<ValueClass, number>,
    };
  }

  private async movements(start: Date, end: Date): Promise<SegmentReport['movements']> {
    const rows = await this.db.segmentChange.groupBy({ by: ['kind', 'fromValue', 'toValue'], where: { createdAt: { gte: start, lt: end }, fromValue: { not: null } }, _count: { _all: true } });
    return rows
      .map((r) => ({ kind: r.kind as 'stage' | 'class', from: r.fromValue ?? '', to: r.toValue, count: r._count._all }))
      .sort((a, b) => a.kind.localeCompare(b.kind) || b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  }

  private async care(start: Date, end: Date): Promise<CareFigures[]> {
    const inRange = { gte: start, lt: end };
    const count = async (where: Record<string, unknown>) =>
      new Map((await this.db.careMessage.groupBy({ by: ['kind'], where, _count: { _all: true } })).map((r) => [r.kind, r._count._all]));
    const [planned, sent, skipped, replied, optedOut, converted] = await Promise.all([
      count({ createdAt: inRange }),
      count({ sentAt: inRange }),
      count({ createdAt: inRange, status: 'SKIPPED' }),
      count({ repliedAt: inRange }),
      count({ optedOutAt: inRange }),
      count({ convertedAt: inRange }),
    ]);
    return CARE_KINDS.map((kind) => ({
      kind,
      planned: planned.get(kind) ?? 0,
      sent: sent.get(kind) ?? 0,
      skipped: skipped.get(kind) ?? 0,
      replied: replied.get(kind) ?? 0,
      optedOut: optedOut.get(kind) ?? 0,
      converted: converted.get(kind) ?? 0,
    }));
  }
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The months (YYYY-MM) a range of days touches. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = nextMonth(m)) months.push(m);
  return months;
}
