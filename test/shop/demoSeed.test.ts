import { openStore } from '../../src/store/db';
import { seed } from '../../src/store/seed';
import { createTestDatabase, PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';

/*
 * `npm start` loads its demo shop as a real shop's data comes in: customer and order events through
 * the shop feature's ingest (POST /api/shop/events takes the same path), points earned and taken back
 * by the ledger's hooks. The tests load the same shop as rows in one transaction (quicker); this
 * checks that both give the same customers, orders and points.
 */
describe.each(PROVIDERS)('the demo shop through the shop event path (%s)', (provider) => {
  const bot = new TestBot(provider, { DB_SEED_ON_START: 'true', TICKETS_SLA_WATCH_ENABLED: 'false' }, { demoSeed: 'events' });

  beforeAll(() => bot.start(), 180_000);
  afterAll(() => bot.stop());

  const customersOf = async (db: typeof bot.app.store.db) =>
    (await db.customer.findMany({ orderBy: { externalId: 'asc' }, select: { externalId: true, name: true, phone: true, email: true, address: true, locale: true, tier: true, points: true } }));
  const ordersOf = async (db: typeof bot.app.store.db) =>
    (
      await db.order.findMany({
        orderBy: { number: 'asc' },
        select: {
          number: true, status: true, itemsTotal: true, shippingFee: true, discount: true, total: true, currency: true, carrier: true, trackingNumber: true,
          createdAt: true, paidAt: true, shippedAt: true, deliveredAt: true, cancelledAt: true, returnedAt: true,
          customer: { select: { externalId: true } },
          items: { orderBy: { sku: 'asc' }, select: { sku: true, name: true, nameEn: true, quantity: true, unitPrice: true } },
        },
      })
    );

  test('when the app starts on an empty store, then every demo customer and order arrives as a shop event, with the points the ledger gives, as the rows loader makes them', async () => {
    const db = bot.app.store.db;
    expect(await db.shopEvent.count({ where: { id: { startsWith: 'demo:' }, outcome: 'applied' } })).toBe(await db.shopEvent.count());
    expect(await db.shopEvent.count({ where: { type: 'customer.created' } })).toBe(50);
    expect(await db.shopEvent.count({ where: { type: 'order.created' } })).toBe(200);

    const rows = await createTestDatabase(provider, 'demorows');
    const store = await openStore(rows.url);
    try {
      await seed(store.db, { now: bot.clock.now() });
      expect(await customersOf(db)).toEqual(await customersOf(store.db));
      expect(await ordersOf(db)).toEqual(await ordersOf(store.db));
    } finally {
      await store.close();
      await rows.drop();
    }
    // The points: earned by the deliveries, taken back by the returns (the goods, not the shipping), plus the members' opening balances.
    const kinds = await db.pointsEntry.groupBy({ by: ['kind'], _count: { _all: true } });
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k._count._all]))).toEqual({
      earn: await db.order.count({ where: { status: { in: ['DELIVERED', 'RETURNED'] } } }),
      reverse: await db.order.count({ where: { status: 'RETURNED' } }),
      opening: expect.any(Number),
    });
  }, 120_000);
});
