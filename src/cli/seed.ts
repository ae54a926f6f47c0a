import { loadConfig } from '../config/config';
import { cipherFromConfig } from '../features/privacy/config';
import { openStore } from '../store/db';
import { migrate } from '../store/migrate';
import { seedIfEmpty } from '../store/seed';

/** `npm run db:seed`: loads the demo shop into DATABASE_URL if it has no customers yet. */
async function main(): Promise<void> {
  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  const store = await openStore(config.DATABASE_URL, { cipher: cipherFromConfig(config) });
  try {
    const summary = await seedIfEmpty(store.db, { now: new Date() });
    process.stdout.write(
      summary
        ? `seeded the demo shop: ${summary.customers} customers, ${summary.orders} orders\n`
        : 'the store already has customers: nothing seeded (use an empty database to reseed)\n',
    );
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`db:seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
