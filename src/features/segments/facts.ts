import type { Db, Provider } from '../../store/db';
import { bound } from '../../store/rawSql';
import type { CustomerFacts } from './rules';

/** Orders that count for RFM: paid or later, not cancelled (a returned order counts with its refunds taken off). */
const COUNTED = `"status" NOT IN ('CREATED', 'CANCELLED')`;

export { bound };

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

interface OrderAggregate {
  customerId: string;
  frequency: unknown;
  monetary: unknown;
  firstOrderAt: unknown;
  lastOrderAt: unknown;
}

/**
 * What the segment job reads, aggregated in the store (GROUP BY over orders and conversations on the
 * customerId indexes): a batch of customers by id range, and the figures of every buyer for the
 * quantile cut points.
 */
export class SegmentFacts {
  constructor(
    private readonly db: Db,
    private readonly provider: Provider,
  ) {}

  /** The next customers after `cursor` (by id), at most `limit`. */
  nextCustomers(cursor: string | null, limit: number): Promise<{ id: string; createdAt: Date }[]> {
    return this.db.customer.findMany({ where: cursor ? { id: { gt: cursor } } : {}, orderBy: { id: 'asc' }, take: limit, select: { id: true, createdAt: true } });
  }

  /** The facts of the customers with ids in (after, last], as of `asOf`. */
  async batch(customers: { id: string; createdAt: Date }[], after: string | null, asOf: Date): Promise<CustomerFacts[]> {
    const last = customers[customers.length - 1].id;
    const range = after === null ? `"customerId" <= $1` : `"customerId" <= $1 AND "customerId" > $2`;
    const rangeArgs = after === null ? [last] : [last, after];
    const n = rangeArgs.length;
    const [orders, contacts] = await Promise.all([
      this.db.$queryRawUnsafe<OrderAggregate[]>(
        ...bound(
          this.provider,
          `SELECT "customerId", COUNT(*) AS "frequency", SUM("total" - "refundedTotal") AS "monetary", MIN("createdAt") AS "firstOrderAt", MAX("createdAt") AS "lastOrderAt"
           FROM "Order" WHERE ${range} AND ${COUNTED} AND "createdAt" <= $${n + 1} GROUP BY "customerId"`,
          [...rangeArgs, asOf],
        ),
      ),
      this.db.$queryRawUnsafe<{ customerId: string; lastContactAt: unknown }[]>(
        ...bound(this.provider, `SELECT "customerId", MAX("lastActivityAt") AS "lastContactAt" FROM "Conversation" WHERE ${range} AND "lastActivityAt" <= $${n + 1} GROUP BY "customerId"`, [...rangeArgs, asOf]),
      ),
    ]);
    const byCustomer = new Map(orders.map((o) => [o.customerId, o]));
    const contactOf = new Map(contacts.map((c) => [c.customerId, date(c.lastContactAt)]));
    return customers.map((c) => {
      const o = byCustomer.get(c.id);
      return {
        customerId: c.id,
        createdAt: c.createdAt,
        frequency: num(o?.frequency),
        monetary: num(o?.monetary),
        firstOrderAt: date(o?.firstOrderAt),
        lastOrderAt: date(o?.lastOrderAt),
        lastContactAt: contactOf.get(c.id) ?? null,
      };
    });
  }

  /** Every buyer's recency (whole days), frequency and monetary value as of `asOf`: the data of the quantile cut points. */
  async buyers(asOf: Date): Promise<{ r: number[]; f: number[]; m: number[] }> {
    const dayMs = 86_400_000;
    const rows = await this.db.$queryRawUnsafe<{ frequency: unknown; monetary: unknown; lastOrderAt: unknown }[]>(
      ...bound(
        this.provider,
        `SELECT COUNT(*) AS "frequency", SUM("total" - "refundedTotal") AS "monetary", MAX("createdAt") AS "lastOrderAt"
         FROM "Order" WHERE ${COUNTED} AND "createdAt" <= $1 GROUP BY "customerId"`,
        [asOf],
      ),
    );
    const r = new Array<number>(rows.length);
    const f = new Array<number>(rows.length);
    const m = new Array<number>(rows.length);
    rows.forEach((row, i) => {
      r[i] = Math.max(0, Math.floor((asOf.getTime() - (date(row.lastOrderAt) as Date).getTime()) / dayMs));
      f[i] = num(row.frequency);
      m[i] = num(row.monetary);
    });
    return { r, f, m };
  }
}
