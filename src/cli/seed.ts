import { startApp } from '../app';
import { loadConfig } from '../config/config';

/**
 * `npm run db:seed`: loads the demo shop into DATABASE_URL if it has no customers yet, the way
 * `npm start` does (its events through the shop feature's ingest, points by the ledger): the app is
 * started on a free loopback port, and stopped once the data is in.
 */
async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', DB_SEED_ON_START: 'true', DB_MIGRATE_ON_START: 'true' });
  const before = Date.now();
  const app = await startApp(config);
  try {
    const [customers, orders] = await Promise.all([app.store.db.customer.count(), app.store.db.order.count()]);
    process.stdout.write(`the store holds ${customers} customers and ${orders} orders (${((Date.now() - before) / 1000).toFixed(1)} s; a store that already had customers is left as it was)\n`);
  } finally {
    await app.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`db:seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
