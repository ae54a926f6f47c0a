import { EventLog } from '../../src/events/eventLog';
import { AppError } from '../../src/errors';
import { LoyaltyPolicy, PointsLedger } from '../../src/features/loyalty';
import { ShopIngest, shopEventSchema, type ShopEvent } from '../../src/features/shop';
import type { BatchResult } from '../../src/features/shop/batchIngest';
import type { Store } from '../../src/store/db';
import { openTestStore, PROVIDERS } from '../support/db';
import { newOrder } from './support';

type TestStore = Awaited<ReturnType<typeof openTestStore>>;

/** An ingest with the points ledger (gold from 500 points) whose batches may never fall back to one at a time unnoticed. */
function ingestOn(store: Store, onBatchFailed: (err: Error) => void = (err) => {
  throw err;
}): ShopIngest {
  const ledger = new PointsLedger(store.db, new EventLog(store.provider), new LoyaltyPolicy({ gold: 500, diamond: 1000 }));
  const hooks = {
    delivered: (tx: Parameters<typeof ledger.earnForDeliveries>[0], orders: Parameters<typeof ledger.earnForDeliveries>[1], now: Date) => ledger.earnForDeliveries(tx, orders, now),
    refunded: (tx: Parameters<typeof ledger.earnForDeliveries>[0], order: { id: string; customerId: string }, amount: number, eventId: string, now: Date) => ledger.reverseForRefund(tx, order, amount, eventId, now),
  };
  return new ShopIngest(store, hooks, () => new Date('2026-11-28T00:00:00Z'), onBatchFailed);
}

const e = (id: string, type: string, occurredAt: string, data: unknown): ShopEvent => shopEventSchema.parse({ id, type, occurredAt: `2026-11-2${occurredAt}Z`, data });
const order = (number: string, customerId: string, total = 45700) => ({ ...newOrder(number, customerId), ...(total !== 45700 ? { items: [{ sku: 'TV-1', name: '电视', quantity: 1, unitPrice: total }], total } : {}) });

/** A shop's day, with everything a batch must get right: repeats, late events, a bad one, refunds and consent among them. */
const EVENTS: ShopEvent[] = [
  e('c1', 'customer.created', '0T01:00:00', { customerId: 'B-1', name: '张伟', phone: '+86 139-0000-0001', locale: 'zh-CN' }),
  e('c2', 'customer.updated', '0T03:00:00', { customerId: 'B-1', email: 'ZhangWei@Example.cn', address: '北京市朝阳区建国路1号' }),
  e('c3', 'customer.updated', '0T02:00:00', { customerId: 'B-1', name: 'Old Name' }),
  e('c1', 'customer.created', '0T01:00:00', { customerId: 'B-1', name: '张伟', phone: '+86 139-0000-0001', locale: 'zh-CN' }),
  e('o1', 'order.created', '0T04:00:00', order('KF500000000001', 'B-1')),
  e('o2', 'order.created', '0T04:00:00', order('KF500000000002', 'B-2', 60000)),
  e('bad-total', 'order.created', '0T04:00:00', { ...order('KF500000000003', 'B-1'), total: 1 }),
  e('p1', 'order.paid', '0T05:00:00', { orderNumber: 'KF500000000001', paymentMethod: 'alipay' }),
  e('d1', 'order.delivered', '2T05:00:00', { orderNumber: 'KF500000000001' }),
  e('s1', 'order.shipped', '1T05:00:00', { orderNumber: 'KF500000000001', carrier: '顺丰速运', trackingNumber: 'SF100' }),
  e('unknown', 'order.paid', '0T05:00:00', { orderNumber: 'KF500000000099' }),
  e('d2', 'order.delivered', '2T06:00:00', { orderNumber: 'KF500000000002' }),
  e('r1', 'order.refunded', '3T01:00:00', { orderNumber: 'KF500000000001', items: [{ sku: 'MUG-2', quantity: 1, amount: 5900 }] }),
  e('r-bad', 'order.refunded', '3T02:00:00', { orderNumber: 'KF500000000001', items: [{ sku: 'MUG-2', quantity: 1, amount: 5900 }] }),
  e('consent', 'customer.consent', '3T03:00:00', { customerId: 'B-1', marketing: true }),
  e('d1-again', 'order.delivered', '3T04:00:00', { orderNumber: 'KF500000000001' }),
  e('o4', 'order.created', '3T05:00:00', order('KF500000000004', 'B-2', 30000)),
  e('x4', 'order.cancelled', '3T06:00:00', { orderNumber: 'KF500000000004', reason: '不想要了' }),
  e('p4-late', 'order.paid', '3T05:30:00', { orderNumber: 'KF500000000004' }),
  e('c-b2', 'customer.created', '3T07:00:00', { customerId: 'B-2', name: '李娜', phone: '13900000002' }),
  e('d2', 'order.delivered', '2T06:00:00', { orderNumber: 'KF500000000002' }),
];

const outcome = (r: BatchResult) => (r instanceof AppError ? `${r.code}: ${r.message}` : r instanceof Error ? r.message : r);

/** What a person can see of the shop's data in Kefu, without ids the store made up. */
async function snapshot(store: Store) {
  const db = store.db;
  const customers = await db.customer.findMany({
    orderBy: { externalId: 'asc' },
    select: { externalId: true, name: true, phone: true, email: true, address: true, phoneIndex: true, emailIndex: true, locale: true, tier: true, points: true, shopUpdatedAt: true, marketingConsent: true },
  });
  const orders = await db.order.findMany({ orderBy: { number: 'asc' }, include: { customer: { select: { externalId: true } }, items: { orderBy: { sku: 'asc' }, omit: { id: true, orderId: true } } }, omit: { id: true, customerId: true, updatedAt: true } });
  const numbers = new Map((await db.order.findMany({ select: { id: true, number: true } })).map((o) => [o.id, o.number]));
  const ids = new Map((await db.customer.findMany({ select: { id: true, externalId: true } })).map((c) => [c.id, c.externalId]));
  const entries = (await db.pointsEntry.findMany({ orderBy: [{ createdAt: 'asc' }, { sourceKey: 'asc' }] })).map((p) => ({
    customer: ids.get(p.customerId),
    delta: p.delta,
    kind: p.kind,
    order: p.orderId && numbers.get(p.orderId),
    sourceKey: p.sourceKey.replace(p.orderId ?? '-', 'ORDER'),
  }));
  const tiers = (await db.tierChange.findMany({ orderBy: { createdAt: 'asc' } })).map((t) => ({ customer: ids.get(t.customerId), from: t.fromTier, to: t.toTier, points: t.points }));
  const events = await db.shopEvent.findMany({ orderBy: { id: 'asc' }, select: { id: true, type: true, outcome: true, occurredAt: true } });
  const tierUps = await db.domainEvent.count({ where: { type: 'loyalty.tier_up' } });
  return { customers, orders, entries, tiers, events, tierUps };
}

describe.each(PROVIDERS)('a batch of shop events (%s store)', (provider) => {
  let alone: TestStore;
  let batched: TestStore;
  let twice: TestStore;
  const expected: string[] = [];
  let results: string[];
  // The same events applied each alone, and as one batch: what every test compares with.
  beforeAll(async () => {
    [alone, batched, twice] = await Promise.all([openTestStore(provider, 'shopalone'), openTestStore(provider, 'shopbatch'), openTestStore(provider, 'shoptwice')]);
    const one = ingestOn(alone.store);
    for (const event of EVENTS) expected.push(outcome(await one.applyAlone(event).catch((err: Error) => err)));
    results = (await ingestOn(batched.store).applyMany(EVENTS)).map(outcome);
  });
  afterAll(async () => {
    await alone?.close();
    await batched?.close();
    await twice?.close();
  });

  it('when a batch holds repeats, late events, bad events, refunds and consent, then it gives the answers and the rows of applying each alone', async () => {
    expect(results).toEqual(expected);
    expect(results.filter((r) => r !== 'applied')).toEqual([
      'outdated',
      'duplicate',
      'invalid_request: data.total: 1 is not items (45700) + shippingFee (0) - discount (0)',
      'outdated',
      'not_found: Order KF500000000099 is not known: send its order.created event first',
      'invalid_request: data.items: MUG-2: 1 more returned would make 2 of 1 ordered',
      'outdated',
      'duplicate',
    ]);
    const [want, got] = await Promise.all([snapshot(alone.store), snapshot(batched.store)]);
    expect(got).toEqual(want);
    // What the customer and the agent see: B-1's first order delivered, shipped late, points earned, the mug refunded.
    expect(got.customers[0]).toMatchObject({ externalId: 'B-1', name: '张伟', email: 'ZhangWei@Example.cn', points: 398, tier: 'SILVER', marketingConsent: true });
    expect(got.orders[0]).toMatchObject({ number: 'KF500000000001', status: 'DELIVERED', carrier: '顺丰速运', trackingNumber: 'SF100', paymentMethod: 'alipay', refundedTotal: 5900 });
    expect(got.customers[1]).toMatchObject({ externalId: 'B-2', name: '李娜', points: 600, tier: 'GOLD' });
    expect(got.orders.find((o) => o.number === 'KF500000000004')).toMatchObject({ status: 'CANCELLED', paidAt: new Date('2026-11-23T05:30:00Z') });
    expect(got.tierUps).toBe(1);
  });

  it('when a batch is applied, then the personal fields are sealed at rest and the customer is found by phone and e-mail', async () => {
    const [row] = await batched.store.db.$queryRawUnsafe<{ name: string; phone: string; shippingName: string }[]>(
      `SELECT c."name", c."phone", o."shippingName" FROM "Customer" c JOIN "Order" o ON o."customerId" = c."id" WHERE c."externalId" = 'B-1' ORDER BY o."number" LIMIT 1`,
    );
    expect([row!.name, row!.phone, row!.shippingName].every((v) => v.startsWith('enc:v1:'))).toBe(true);
    expect(JSON.stringify(row)).not.toContain('张伟');
    const byPhone = await batched.store.db.customer.findFirst({ where: { phone: '13900000001' } });
    const byEmail = await batched.store.db.customer.findFirst({ where: { email: 'zhangwei@example.cn' } });
    expect([byPhone?.externalId, byEmail?.externalId]).toEqual(['B-1', 'B-1']);
  });

  it('when the same batch is sent again, then every event is a duplicate and nothing changes', async () => {
    const before = await snapshot(alone.store);
    const again = await ingestOn(alone.store).applyMany(EVENTS);
    expect(new Set(again.map(outcome))).toEqual(new Set(['duplicate', 'invalid_request: data.total: 1 is not items (45700) + shippingFee (0) - discount (0)', 'not_found: Order KF500000000099 is not known: send its order.created event first', 'invalid_request: data.items: MUG-2: 1 more returned would make 2 of 1 ordered']));
    expect(await snapshot(alone.store)).toEqual(before);
  });

  it('when two instances apply the same batch at the same time, then each event is applied once and the rows are those of applying each alone', async () => {
    const fallbacks: Error[] = [];
    const [first, second] = await Promise.all([ingestOn(twice.store, (err) => fallbacks.push(err)).applyMany(EVENTS), ingestOn(twice.store, (err) => fallbacks.push(err)).applyMany(EVENTS)]);
    EVENTS.forEach((event, i) => {
      const answers = [outcome(first[i]!), outcome(second[i]!)];
      // An event's id is taken once: one of the two applied it (or found it late), never both.
      if (!answers.some((a) => a.includes(':'))) expect(answers.filter((a) => a !== 'duplicate').length).toBeLessThanOrEqual(1);
    });
    expect(await snapshot(twice.store)).toEqual(await snapshot(alone.store));
    expect(fallbacks.length).toBeLessThanOrEqual(1);
  });

  it('when events one at a time create the same new customer at the same moment, then every one is applied (the loser runs again and finds the customer)', async () => {
    const ingest = ingestOn(twice.store);
    const orders = Array.from({ length: 8 }, (_, i) => e(`race-${i}`, 'order.created', '4T01:00:00', order(`KF5000000001${String(i).padStart(2, '0')}`, 'RACE-1')));
    const outcomes = await Promise.all(orders.map((o) => ingest.applyAlone(o).then(String, (err: Error) => err.message)));
    expect(outcomes).toEqual(orders.map(() => 'applied'));
    expect(await twice.store.db.customer.count({ where: { externalId: 'RACE-1' } })).toBe(1);
    expect(await twice.store.db.order.count({ where: { number: { startsWith: 'KF5000000001' } } })).toBe(8);
  });
});
