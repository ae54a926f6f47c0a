import crypto from 'node:crypto';
import { segmentsConfigSchema, type SegmentsConfig } from '../../src/features/segments';
import { SegmentJob } from '../../src/features/segments/job';
import { createLogger } from '../../src/logger';
import type { Db, Store } from '../../src/store/db';

const DAY = 86_400_000;

/** The run's time in the tests: 2026-11-30 02:30 in Shanghai (the nightly job's hour). */
export const AS_OF = new Date('2026-11-29T18:30:00Z');
export const daysBefore = (days: number, from = AS_OF) => new Date(from.getTime() - days * DAY);
export const daysAfter = (days: number, from = AS_OF) => new Date(from.getTime() + days * DAY);

export function segmentsConfig(overrides: Record<string, string> = {}): SegmentsConfig {
  return segmentsConfigSchema.parse(overrides);
}

export function segmentJob(store: Store, overrides: Record<string, string> = {}): SegmentJob {
  return new SegmentJob({ db: store.db, provider: store.provider, config: segmentsConfig(overrides), timeZone: 'Asia/Shanghai', logger: createLogger('silent') });
}

export async function customer(db: Db, name: string, createdAt: Date, extra: { tier?: 'SILVER' | 'GOLD' | 'DIAMOND'; birthday?: string; marketingConsent?: boolean | null; locale?: string } = {}) {
  return db.customer.create({ data: { name, externalId: `${name}-${crypto.randomBytes(3).toString('hex')}`, createdAt, ...extra } });
}

/** An order of `yuan`, placed `at`; status PAID unless told (refunded: yuan taken back). */
export async function order(db: Db, customerId: string, at: Date, yuan: number, extra: { status?: 'CREATED' | 'PAID' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED' | 'RETURNED'; refundedYuan?: number; deliveredAt?: Date } = {}) {
  const total = Math.round(yuan * 100);
  return db.order.create({
    data: {
      number: `KF${crypto.randomInt(1e11, 1e12 - 1)}`,
      customerId,
      status: extra.status ?? 'PAID',
      itemsTotal: total,
      total,
      refundedTotal: Math.round((extra.refundedYuan ?? 0) * 100),
      shippingName: 'x',
      shippingPhone: '13800000000',
      shippingAddress: 'Shanghai',
      createdAt: at,
      deliveredAt: extra.deliveredAt ?? null,
    },
  });
}

export async function conversation(db: Db, customerId: string, lastActivityAt: Date, locale = 'zh-CN') {
  return db.conversation.create({
    data: { channelId: 'test', channelConversationId: `c-${crypto.randomBytes(5).toString('hex')}`, customerId, locale, reference: {}, startedAt: lastActivityAt, lastActivityAt },
  });
}

/**
 * The worked example (README "Customer segments"): five buyers and a prospect, as of AS_OF.
 *   A: 6 orders, last 5 days ago, 3 200 yuan less a 200 refund = 3 000
 *   B: 4 orders, last 20 days ago, 1 200
 *   C: 2 orders, last 45 days ago, 600; chatted 2 days ago
 *   D: 1 order 100 days ago, 150
 *   E: 1 order 200 days ago, 80 (and a cancelled one yesterday, which does not count)
 *   F: no order, signed up 10 days ago, chatted 3 days ago
 */
export async function seedWorkedExample(db: Db) {
  const longAgo = new Date('2025-01-01T00:00:00Z');
  const a = await customer(db, 'A', longAgo);
  for (const [days, yuan, refund] of [[5, 1000, 200], [30, 500, 0], [60, 500, 0], [90, 400, 0], [120, 400, 0], [150, 400, 0]]) await order(db, a.id, daysBefore(days), yuan, { refundedYuan: refund, status: refund ? 'RETURNED' : 'DELIVERED' });
  const b = await customer(db, 'B', longAgo);
  for (const days of [20, 40, 80, 160]) await order(db, b.id, daysBefore(days), 300);
  const c = await customer(db, 'C', longAgo);
  for (const days of [45, 90]) await order(db, c.id, daysBefore(days), 300);
  await conversation(db, c.id, daysBefore(2));
  const d = await customer(db, 'D', longAgo);
  await order(db, d.id, daysBefore(100), 150);
  const e = await customer(db, 'E', longAgo);
  await order(db, e.id, daysBefore(200), 80);
  await order(db, e.id, daysBefore(1), 9999, { status: 'CANCELLED' });
  const f = await customer(db, 'F', daysBefore(10));
  await conversation(db, f.id, daysBefore(3));
  return { a, b, c, d, e, f };
}

/** name -> [valueClass, stage, R, F, M] of every stored segment. */
export async function segmentsByName(db: Db): Promise<Record<string, [string, string, number, number, number]>> {
  const rows = await db.customerSegment.findMany();
  const names = new Map((await db.customer.findMany({ select: { id: true, name: true } })).map((c) => [c.id, c.name ?? c.id]));
  return Object.fromEntries(rows.map((r) => [names.get(r.customerId), [r.valueClass, r.stage, r.rScore, r.fScore, r.mScore]]));
}
