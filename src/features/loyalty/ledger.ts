import type { Prisma, Tx } from '../../store/records';
import type { Order } from '../orders';
import { writeAudit, type Actor } from '../../crm/audit';
import { AppError } from '../../errors';
import type { EventLog } from '../../events/eventLog';
import type { Db } from '../../store/db';
import { isUniqueViolation } from '../../store/errors';
import { updateFromJson } from '../../store/jsonRows';
import { pointsForSpend, type LoyaltyPolicy, type Tier } from './loyaltyPolicy';


/** A customer moved up a tier (the customer is told in chat). */
export const TIER_UP = 'loyalty.tier_up';
export interface TierUp {
  customerId: string;
  from: Tier;
  to: Tier;
  points: number;
}

const RANK: Record<Tier, number> = { SILVER: 0, GOLD: 1, DIAMOND: 2 };

/** Points taken out by the system (expiry) or spent by the customer (redemption). */
export interface Debit {
  customerId: string;
  points: number;
  kind: 'expire' | 'redeem';
  /** What caused it, unique: written once. */
  sourceKey: string;
  reason: string;
  actor: Actor;
}

/** What became of a debit: written; written before (same sourceKey); or refused, the balance being too low. */
export type DebitOutcome = { status: 'done'; entryId: string; balance: number; tier: Tier } | { status: 'duplicate'; balance: number } | { status: 'short'; balance: number };

/** The actor of the nightly expiry in the audit log. */
export const EXPIRY_ACTOR: Actor = { type: 'system', id: 'loyalty.expiry' };

/**
 * The points ledger: every movement of a customer's points is a PointsEntry with what caused it
 * (unique: a delivery earns once, a refund event reverses once). The balance is their sum; after
 * each entry the customer's `points` and `tier` are rewritten from that sum in the same transaction
 * (a cache for lists, never incremented, so it cannot drift), a tier change is kept in TierChange,
 * and a move up is recorded as a loyalty.tier_up event.
 */
export class PointsLedger {
  constructor(
    private readonly db: Db,
    private readonly events: EventLog,
    private readonly policy: LoyaltyPolicy,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The customer's balance: the sum of their ledger. */
  async balance(customerId: string, tx: Tx = this.db): Promise<number> {
    const sum = await tx.pointsEntry.aggregate({ where: { customerId }, _sum: { delta: true } });
    return sum._sum.delta ?? 0;
  }

  /** Points for a delivered order (1 yuan = 1 point), once per order. */
  async earnForDelivery(tx: Tx, order: Pick<Order, 'id' | 'customerId' | 'total'>, now: Date): Promise<void> {
    await this.earnForDeliveries(tx, [order], now);
  }

  /**
   * Points for many delivered orders in a few set-based statements (a batch of shop events, the
   * import): the same rows as earning for each in turn (an entry once per order; each customer's
   * points and tier rewritten from the ledger's sum; every tier change on the way kept, in order,
   * and each move up recorded).
   */
  async earnForDeliveries(tx: Tx, orders: Pick<Order, 'id' | 'customerId' | 'total'>[], now: Date): Promise<void> {
    const wanted = new Map(orders.filter((o) => pointsForSpend(o.total) > 0).map((o) => [`earn:order:${o.id}`, o]));
    if (!wanted.size) return;
    for (const e of await tx.pointsEntry.findMany({ where: { sourceKey: { in: [...wanted.keys()] } }, select: { sourceKey: true } })) wanted.delete(e.sourceKey);
    if (!wanted.size) return;
    const entries = [...wanted].map(([sourceKey, o]) => ({ customerId: o.customerId, delta: pointsForSpend(o.total), kind: 'earn', orderId: o.id, sourceKey, actorType: 'shop', createdAt: now }));
    const customerIds = [...new Set(entries.map((e) => e.customerId))];
    const [sums, tiers] = await Promise.all([
      tx.pointsEntry.groupBy({ by: ['customerId'], where: { customerId: { in: customerIds } }, _sum: { delta: true } }),
      tx.customer.findMany({ where: { id: { in: customerIds } }, select: { id: true, tier: true } }),
    ]);
    const state = new Map(tiers.map((c) => [c.id, { balance: 0, tier: c.tier }]));
    for (const s of sums) state.get(s.customerId)!.balance = s._sum.delta ?? 0;
    const changes: Prisma.TierChangeCreateManyInput[] = [];
    for (const e of entries) {
      const c = state.get(e.customerId);
      if (!c) throw new Error(`Points for order ${e.orderId}: customer ${e.customerId} does not exist`);
      c.balance += e.delta;
      const tier = this.policy.tierFor(c.balance);
      if (tier !== c.tier) changes.push({ customerId: e.customerId, fromTier: c.tier, toTier: tier, points: c.balance, createdAt: now });
      c.tier = tier;
    }
    await tx.pointsEntry.createMany({ data: entries });
    const provider = this.events.provider;
    const rows = [...state].map(([id, c]) => ({ id, points: c.balance, tier: c.tier }));
    await tx.$executeRawUnsafe(updateFromJson(provider, 'Customer', ['id', 'text'], [['points', 'int'], ['tier', 'enum:MembershipTier']]), JSON.stringify(rows));
    if (changes.length) await this.recordTierChanges(tx, changes, now);
  }

  /** Takes back the points of a refunded amount (never more than the order earned), once per refund event. */
  async reverseForRefund(tx: Tx, order: Pick<Order, 'id' | 'customerId'>, amountFen: number, sourceId: string, now: Date): Promise<void> {
    const earned = await tx.pointsEntry.aggregate({ where: { orderId: order.id, kind: 'earn' }, _sum: { delta: true } });
    const reversed = await tx.pointsEntry.aggregate({ where: { orderId: order.id, kind: 'reverse' }, _sum: { delta: true } });
    const left = (earned._sum.delta ?? 0) + (reversed._sum.delta ?? 0);
    const delta = Math.min(pointsForSpend(amountFen), left);
    if (delta <= 0) return;
    await this.add(tx, { customerId: order.customerId, delta: -delta, kind: 'reverse', orderId: order.id, sourceKey: `reverse:${sourceId}`, actorType: 'shop' }, now);
  }

  /** Points a member brought from before Kefu knew their orders (the demo shop, an import), once per customer. */
  async opening(customerId: string, points: number): Promise<void> {
    if (!Number.isInteger(points) || points <= 0) return;
    const now = this.clock();
    await this.db.$transaction((tx) => this.add(tx, { customerId, delta: points, kind: 'opening', sourceKey: `opening:${customerId}`, actorType: 'system' }, now));
  }

  /** An agent's correction, with the reason, written with an audit row. */
  async adjust(customerId: string, delta: number, reason: string, actor: Actor): Promise<{ balance: number; tier: Tier }> {
    if (!Number.isInteger(delta) || delta === 0) throw new AppError('invalid_request', 'delta: a whole number of points, not 0');
    if (!reason.trim()) throw new AppError('invalid_request', 'reason: say why the points change');
    const now = this.clock();
    return this.db.$transaction(async (tx) => {
      const before = await tx.customer.findUnique({ where: { id: customerId }, select: { points: true, tier: true } });
      if (!before) throw new AppError('not_found', 'No such customer');
      const balance = await this.balance(customerId, tx);
      if (balance + delta < 0) throw new AppError('invalid_request', `delta: the balance is ${balance}; it cannot go below 0`);
      const entry = await tx.pointsEntry.create({
        data: { customerId, delta, kind: 'adjust', reason: reason.trim(), sourceKey: `adjust:${now.getTime()}:${Math.random().toString(36).slice(2, 10)}`, actorType: actor.type, actorId: actor.id ?? null, createdAt: now },
      });
      const after = await this.settle(tx, customerId, now);
      await writeAudit(tx, { actor, action: 'points.adjust', entity: 'Customer', entityId: customerId, before: { points: balance, tier: before.tier }, after: { points: after.balance, tier: after.tier, entryId: entry.id }, reason: reason.trim() });
      return after;
    });
  }

  /**
   * Takes points out in the caller's transaction: once per sourceKey, never below a balance of 0,
   * through the same settlement as every entry (balance cache, tier), with an audit row
   * (`points.expire`, `points.redeem`). The customer's row is locked first, so two debits of one
   * customer (two instances, two taps) are decided one after the other.
   */
  async debit(tx: Tx, debit: Debit, now: Date): Promise<DebitOutcome> {
    await this.lock(tx, debit.customerId);
    return this.debitLocked(tx, debit, now);
  }

  /**
   * Points of the customer that expire at `cutoff`, first in, first out: every spending (reversals,
   * redemptions, adjustments down, earlier expiries) used the oldest points first, so of the points
   * earned before the cutoff what is left is their sum less everything ever spent (never below 0).
   */
  async expiring(customerId: string, cutoff: Date, tx: Tx = this.db): Promise<number> {
    const [earned, spent] = await Promise.all([
      tx.pointsEntry.aggregate({ where: { customerId, delta: { gt: 0 }, createdAt: { lt: cutoff } }, _sum: { delta: true } }),
      tx.pointsEntry.aggregate({ where: { customerId, delta: { lt: 0 } }, _sum: { delta: true } }),
    ]);
    return Math.max(0, (earned._sum.delta ?? 0) + (spent._sum.delta ?? 0));
  }

  /**
   * Expires what was earned before `cutoff` (the start of the shop day `cutoffDay`) and not spent, as
   * one `expire` entry keyed by the customer and the day: a second run, here or on another instance,
   * finds nothing left (or the day's key taken). Returns the points expired.
   */
  async expire(customerId: string, cutoffDay: string, cutoff: Date): Promise<number> {
    const now = this.clock();
    try {
      return await this.db.$transaction(async (tx) => {
        await this.lock(tx, customerId);
        const points = await this.expiring(customerId, cutoff, tx);
        if (points <= 0) return 0;
        const reason = `earned before ${cutoffDay} and not spent`;
        const outcome = await this.debitLocked(tx, { customerId, points, kind: 'expire', sourceKey: `expire:${customerId}:${cutoffDay}`, reason, actor: EXPIRY_ACTOR }, now);
        return outcome.status === 'done' ? points : 0;
      });
    } catch (err) {
      if (isUniqueViolation(err)) return 0;
      throw err;
    }
  }

  private async debitLocked(tx: Tx, d: Debit, now: Date): Promise<DebitOutcome> {
    const balance = await this.balance(d.customerId, tx);
    if (await tx.pointsEntry.findUnique({ where: { sourceKey: d.sourceKey }, select: { id: true } })) return { status: 'duplicate', balance };
    if (d.points > balance) return { status: 'short', balance };
    const { tier } = await tx.customer.findUniqueOrThrow({ where: { id: d.customerId }, select: { tier: true } });
    const entry = await tx.pointsEntry.create({
      data: { customerId: d.customerId, delta: -d.points, kind: d.kind, reason: d.reason, sourceKey: d.sourceKey, actorType: d.actor.type, actorId: d.actor.id ?? null, createdAt: now },
    });
    const after = await this.settle(tx, d.customerId, now);
    await writeAudit(tx, { actor: d.actor, action: `points.${d.kind}`, entity: 'Customer', entityId: d.customerId, before: { points: balance, tier }, after: { points: after.balance, tier: after.tier, entryId: entry.id }, reason: d.reason, at: now });
    return { status: 'done', entryId: entry.id, ...after };
  }

  /** Locks the customer's row until the transaction ends (a write; SQLite's transactions are serial anyway). */
  private async lock(tx: Tx, customerId: string): Promise<void> {
    await tx.customer.update({ where: { id: customerId }, data: { points: { increment: 0 } }, select: { id: true } });
  }

  private async add(tx: Tx, entry: Omit<Prisma.PointsEntryUncheckedCreateInput, 'createdAt'>, now: Date): Promise<void> {
    if (await tx.pointsEntry.findUnique({ where: { sourceKey: entry.sourceKey }, select: { id: true } })) return;
    await tx.pointsEntry.create({ data: { ...entry, createdAt: now } });
    await this.settle(tx, entry.customerId, now);
  }

  /** Rewrites the customer's points and tier from the ledger; keeps the tier's history; records a move up. */
  private async settle(tx: Tx, customerId: string, now: Date): Promise<{ balance: number; tier: Tier }> {
    const balance = await this.balance(customerId, tx);
    const tier = this.policy.tierFor(balance);
    const { tier: from } = await tx.customer.findUniqueOrThrow({ where: { id: customerId }, select: { tier: true } });
    await tx.customer.update({ where: { id: customerId }, data: { points: balance, tier } });
    if (from !== tier) await this.recordTierChanges(tx, [{ customerId, fromTier: from, toTier: tier, points: balance, createdAt: now }], now);
    return { balance, tier };
  }

  /** Keeps tier changes in the history, in order, and records each move up as a loyalty.tier_up event. */
  private async recordTierChanges(tx: Tx, changes: Prisma.TierChangeCreateManyInput[], now: Date): Promise<void> {
    await tx.tierChange.createMany({ data: changes });
    const ups = changes.filter((c) => RANK[c.toTier] > RANK[c.fromTier]);
    if (!ups.length) return;
    await this.events.record(
      tx,
      ups.map((c) => ({ type: TIER_UP, subject: `Customer:${c.customerId}`, payload: { customerId: c.customerId, from: c.fromTier, to: c.toTier, points: c.points } satisfies TierUp })),
      now,
    );
  }
}
