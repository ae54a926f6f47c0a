import crypto from 'node:crypto';
import { AppError } from '../../errors';
import type { EventLog } from '../../events/eventLog';
import type { Db } from '../../store/db';
import { isUniqueViolation } from '../../store/errors';
import { COUPON_REQUESTED, type CouponRequested } from '../shop';
import type { Coupon } from './config';
import type { PointsLedger } from './ledger';

const DAY_MS = 86_400_000;
const SOURCE_PREFIX = 'redeem:';

/** What became of a redemption: done now, done before with the same code (a second tap), or not enough points. */
export type RedeemOutcome =
  | { status: 'redeemed'; code: string; coupon: Coupon; balance: number; validUntil: Date }
  | { status: 'already'; code: string; balance: number }
  | { status: 'short'; balance: number; needed: number };

/**
 * Points for the shop's coupons (LOYALTY_COUPONS): in one transaction a `redeem` entry of the ledger
 * (negative, audit-logged) and the shop's `coupon.requested` webhook in the outbox (reason
 * `redemption`), delivered after the commit. The coupon code is the redemption's key, chosen before
 * the customer confirms: a repeated confirmation with the same code redeems nothing more.
 */
export class PointsRedemption {
  constructor(
    private readonly deps: { db: Db; ledger: PointsLedger; events: EventLog; coupons: Coupon[]; clock: () => Date },
  ) {}

  get coupons(): Coupon[] {
    return this.deps.coupons;
  }

  /** A fresh coupon code: PT and 8 hex digits. */
  newCode(): string {
    return `PT${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
  }

  async redeem(customerId: string, points: number, code: string): Promise<RedeemOutcome> {
    const coupon = this.deps.coupons.find((c) => c.points === points);
    if (!coupon) throw new AppError('invalid_request', `points: no coupon costs ${points} points`);
    const now = this.deps.clock();
    try {
      return await this.deps.db.$transaction(async (tx) => {
        const debit = await this.deps.ledger.debit(
          tx,
          { customerId, points, kind: 'redeem', sourceKey: `${SOURCE_PREFIX}${code}`, reason: `coupon ${code}`, actor: { type: 'customer', id: customerId } },
          now,
        );
        if (debit.status === 'duplicate') return { status: 'already', code, balance: debit.balance };
        if (debit.status === 'short') return { status: 'short', balance: debit.balance, needed: points - debit.balance };
        const payload: CouponRequested = { customerId, code, amount: coupon.amount, validDays: coupon.validDays, reason: 'redemption', pointsEntryId: debit.entryId, points };
        await this.deps.events.record(tx, [{ type: COUPON_REQUESTED, subject: `Customer:${customerId}`, payload }], now);
        return { status: 'redeemed', code, coupon, balance: debit.balance, validUntil: new Date(now.getTime() + coupon.validDays * DAY_MS) };
      });
    } catch (err) {
      // The same code redeemed at the same moment by a second tap handled elsewhere: its entry won.
      if (!isUniqueViolation(err)) throw err;
      return { status: 'already', code, balance: await this.deps.ledger.balance(customerId) };
    }
  }

  /** The customer's latest redemption within `minutes` (what a late second tap on "confirm" refers to). */
  async recent(customerId: string, minutes = 10): Promise<{ code: string; points: number } | undefined> {
    const since = new Date(this.deps.clock().getTime() - minutes * 60_000);
    const entry = await this.deps.db.pointsEntry.findFirst({ where: { customerId, kind: 'redeem', createdAt: { gte: since } }, orderBy: { createdAt: 'desc' } });
    return entry?.sourceKey.startsWith(SOURCE_PREFIX) ? { code: entry.sourceKey.slice(SOURCE_PREFIX.length), points: -entry.delta } : undefined;
  }
}
