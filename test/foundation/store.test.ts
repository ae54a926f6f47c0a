import { migrate, listMigrations } from '../../src/store/migrate';
import { openStore } from '../../src/store/db';
import { seed, seedIfEmpty } from '../../src/store/seed';
import { PROVIDERS, createTestDatabase } from '../support/db';

const NOW = new Date('2026-11-26T02:00:00Z');

describe.each(PROVIDERS)('the CRM store (%s)', (provider) => {
  test('when migrations run twice, then the second run applies nothing and the schema is complete', async () => {
    const database = await createTestDatabase(provider, 'migrate'); // runs migrate once
    try {
      const again = await migrate(database.url);
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toBe(listMigrations(provider).length);
    } finally {
      await database.drop();
    }
  });

  test('when several instances start at once, then each migration is applied exactly once', async () => {
    const database = await createTestDatabase(provider, 'migrace');
    try {
      const results = await Promise.all([migrate(database.url), migrate(database.url), migrate(database.url)]);
      expect(results.flatMap((r) => r.applied)).toEqual([]);
    } finally {
      await database.drop();
    }
  });

  test('when the demo shop is seeded into an empty store, then it has 50 customers, 200 orders in every status, and a second seed does nothing', async () => {
    const database = await createTestDatabase(provider, 'seed');
    const store = await openStore(database.url);
    try {
      expect(await seedIfEmpty(store.db, { now: NOW })).toEqual({ customers: 50, orders: 200 });
      expect(await seedIfEmpty(store.db, { now: NOW })).toBeUndefined();
      const db = store.db;
      expect(await db.customer.count()).toBe(50);
      const statuses = await db.order.groupBy({ by: ['status'], _count: { _all: true } });
      expect(statuses.map((s) => s.status).sort()).toEqual(['CANCELLED', 'CREATED', 'DELIVERED', 'PAID', 'RETURNED', 'SHIPPED']);
      // Shipped orders have a carrier and tracking number; orders not yet shipped have neither.
      expect(await db.order.count({ where: { status: { in: ['SHIPPED', 'DELIVERED', 'RETURNED'] }, trackingNumber: null } })).toBe(0);
      expect(await db.order.count({ where: { status: { in: ['CREATED', 'PAID'] }, NOT: { trackingNumber: null } } })).toBe(0);
      // Every order's total adds up, and every order has items.
      const orders = await db.order.findMany({ include: { items: true } });
      for (const o of orders) {
        expect(o.items.length).toBeGreaterThan(0);
        expect(o.itemsTotal).toBe(o.items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0));
        expect(o.total).toBe(o.itemsTotal + o.shippingFee - o.discount);
        expect(o.number).toMatch(/^KF\d{12}$/);
        if (o.deliveredAt) expect(o.deliveredAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      }
      const names = (await db.customer.findMany({ select: { name: true } })).map((c) => c.name ?? '');
      expect(names.some((n) => /[\u4e00-\u9fff]/.test(n))).toBe(true);
      expect(names.some((n) => /^[A-Za-z]+ [A-Za-z]+$/.test(n))).toBe(true);
      const tiers = await db.customer.groupBy({ by: ['tier'], _count: { _all: true } });
      expect(tiers.length).toBeGreaterThanOrEqual(2);
    } finally {
      await store.close();
      await database.drop();
    }
  });

  test('when something in a seed batch fails, then nothing of it is left behind', async () => {
    const database = await createTestDatabase(provider, 'seedfail');
    const store = await openStore(database.url);
    try {
      await store.db.customer.create({ data: { id: 'demo-customer-050', name: 'already here' } });
      await expect(seed(store.db, { now: NOW })).rejects.toThrow();
      expect(await store.db.customer.count()).toBe(1);
      expect(await store.db.order.count()).toBe(0);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
