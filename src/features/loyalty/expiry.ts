import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import type { PointsLedger } from './ledger';
import { shopDate } from '../../calendar/shopDate';

const DAY_MS = 86_400_000;
/** Customers per query when the run sums what they spent. */
const CHUNK = 1000;

/** A shop-local calendar day, YYYY-MM-DD. */
type Day = string;

/** What one run expired. */
export interface ExpiryRun {
  /** Points earned before the start of this shop day (N months before the run's day) were due. */
  cutoffDay: Day;
  customers: number;
  points: number;
}

/** The next points to expire of a customer: how many, and the shop day the night's run takes them. */
export interface UpcomingExpiry {
  points: number;
  on: Date;
}

/**
 * Points expiry (LOYALTY_POINTS_EXPIRE_MONTHS; 0 = never): each night, points earned before the
 * same shop day N months ago and not spent since expire, first in, first out, as one `expire` entry
 * per customer and day through the ledger (balance cache, tier, audit row). Safe to run twice and on
 * several instances at once: each customer's expiry is one transaction on their locked row, keyed by
 * the day, and what it leaves expires nothing the next time.
 */
export class PointsExpiry {
  constructor(
    private readonly deps: { db: Db; ledger: PointsLedger; months: number; timeZone: string; logger?: Pick<Logger, 'info'> },
  ) {}

  /** The nightly job. */
  async run(now: Date): Promise<ExpiryRun> {
    const cutoffDay = this.cutoffDay(now);
    const result: ExpiryRun = { cutoffDay, customers: 0, points: 0 };
    if (this.deps.months === 0) return result;
    const cutoff = startOfDay(cutoffDay, this.deps.timeZone);
    for (const customerId of await this.candidates(cutoff)) {
      const points = await this.deps.ledger.expire(customerId, cutoffDay, cutoff);
      if (points > 0) {
        result.customers += 1;
        result.points += points;
      }
    }
    if (result.points > 0) this.deps.logger?.info({ ...result }, 'loyalty: unspent old points expired');
    return result;
  }

  /**
   * The first points of the customer to expire within `days` days (today's run included, if it has
   * not taken them yet), or undefined: the day-by-day runs of the coming days, on the ledger as it is.
   */
  async upcoming(customerId: string, now: Date, days = 30): Promise<UpcomingExpiry | undefined> {
    if (this.deps.months === 0) return undefined;
    const today = shopDate(now, this.deps.timeZone);
    const last = this.cutoffDay(new Date(now.getTime() + days * DAY_MS));
    const entries = await this.deps.db.pointsEntry.findMany({ where: { customerId, OR: [{ delta: { lt: 0 } }, { createdAt: { lt: startOfDay(last, this.deps.timeZone) } }] }, select: { delta: true, createdAt: true } });
    const spent = -entries.filter((e) => e.delta < 0).reduce((sum, e) => sum + e.delta, 0);
    const lots = entries.filter((e) => e.delta > 0).map((e) => ({ day: shopDate(e.createdAt, this.deps.timeZone), points: e.delta }));
    for (let i = 0, day = today; i <= days; i += 1, day = nextDay(day)) {
      const cutoffDay = subtractMonths(day, this.deps.months);
      const due = lots.filter((l) => l.day < cutoffDay).reduce((sum, l) => sum + l.points, 0) - spent;
      if (due > 0) return { points: due, on: startOfDay(day, this.deps.timeZone) };
    }
    return undefined;
  }

  /** The shop day N months before `now`'s: points earned before it are due. */
  cutoffDay(now: Date): Day {
    return subtractMonths(shopDate(now, this.deps.timeZone), this.deps.months);
  }

  /** Customers with points earned before the cutoff that their spending has not used up. */
  private async candidates(cutoff: Date): Promise<string[]> {
    const { db } = this.deps;
    const earned = await db.pointsEntry.groupBy({ by: ['customerId'], where: { delta: { gt: 0 }, createdAt: { lt: cutoff } }, _sum: { delta: true } });
    const due: string[] = [];
    for (let i = 0; i < earned.length; i += CHUNK) {
      const chunk = earned.slice(i, i + CHUNK);
      const spent = await db.pointsEntry.groupBy({ by: ['customerId'], where: { delta: { lt: 0 }, customerId: { in: chunk.map((e) => e.customerId) } }, _sum: { delta: true } });
      const spentBy = new Map(spent.map((s) => [s.customerId, s._sum.delta ?? 0]));
      for (const e of chunk) if ((e._sum.delta ?? 0) + (spentBy.get(e.customerId) ?? 0) > 0) due.push(e.customerId);
    }
    return due;
  }
}

/** The instant a shop-local day starts (the zone's offset read at that moment, twice for a DST change). */
export function startOfDay(day: Day, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  const offsetAt = (utc: number) => {
    const p = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
        .formatToParts(utc)
        .map((x) => [x.type, Number(x.value)]),
    );
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - utc;
  };
  const guess = wall - offsetAt(wall);
  return new Date(wall - offsetAt(guess));
}

/** The same day of the month `months` months earlier, or that month's last day (2026-08-31 → 2024-02-29 for 30). */
export function subtractMonths(day: Day, months: number): Day {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return asDay(new Date(Date.UTC(year, month, Math.min(d, lastDay))));
}

function nextDay(day: Day): Day {
  const [y, m, d] = day.split('-').map(Number);
  return asDay(new Date(Date.UTC(y, m - 1, d + 1)));
}

function asDay(utc: Date): Day {
  return utc.toISOString().slice(0, 10);
}
