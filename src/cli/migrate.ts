import { loadConfig } from '../config/config';
import { migrate } from '../store/migrate';

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (the app also does this at start-up). */
async function main(): Promise<void> {
  const config = loadConfig();
  const result = await migrate(config.DATABASE_URL);
  process.stdout.write(
    result.applied.length
      ? `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`
      : `up to date (${result.alreadyApplied} migration(s) applied earlier)\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`db:migrate failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
