import { PROVIDERS, openTestStore } from '../support/db';
import { seedIfEmpty } from '../../src/store/seed';

describe.each(PROVIDERS)('demo data on an empty store (%s)', (provider) => {
  test('when two instances start together on an empty store, then the demo data is loaded once and neither fails', async () => {
    const t = await openTestStore(provider, 'seedrace');
    try {
      const now = new Date('2026-11-30T08:00:00Z');
      const results = await Promise.all([seedIfEmpty(t.store.db, { now }), seedIfEmpty(t.store.db, { now })]);
      const loaded = results.filter((r) => r !== undefined);
      expect(loaded).toHaveLength(1);
      expect(await t.store.db.customer.count()).toBe(loaded[0]!.customers);
      expect(await t.store.db.order.count()).toBe(loaded[0]!.orders);
      expect(await seedIfEmpty(t.store.db, { now })).toBeUndefined(); // a restart loads nothing more
    } finally {
      await t.close();
    }
  });
});
