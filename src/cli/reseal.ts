import { loadConfig } from '../config/config';
import { cipherFromConfig } from '../features/privacy/config';
import { resealAll, staleCounts } from '../features/privacy/reseal';
import { openStore } from '../store/db';
import { migrate } from '../store/migrate';

/**
 * `npm run data:encrypt` (seal rows stored in clear before the encryption) and `npm run keys:rotate`
 * (re-seal values sealed with an older key, with the first key of KEFU_DATA_KEYS): one pass, in
 * batches, resumable and idempotent (src/features/privacy/reseal.ts). Options: `--check` (only count
 * what is left), `--reindex` (recompute the blind indexes after KEFU_INDEX_KEY changed), `--batch N`.
 */
async function main(args: string[]): Promise<void> {
  const config = loadConfig();
  if (config.DB_MIGRATE_ON_START) await migrate(config.DATABASE_URL);
  const cipher = cipherFromConfig(config);
  const store = await openStore(config.DATABASE_URL, { cipher, poolSize: 2 });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (args.includes('--check')) {
      const left = await staleCounts(store);
      out(`values not sealed with key ${cipher.ring.currentId}: ${JSON.stringify(left)}`);
      return;
    }
    const at = args.indexOf('--batch');
    const batch = at >= 0 ? Number(args[at + 1]) : 200;
    if (!Number.isInteger(batch) || batch < 1) throw new Error('--batch needs a whole number above 0');
    out(`sealing with key ${cipher.ring.currentId}${cipher.ring.development ? ' (the DEVELOPMENT key)' : ''}, ${batch} rows a batch`);
    const counts = await resealAll(store, { batch, reindex: args.includes('--reindex'), progress: (table, n) => out(`  ${table}: ${n} value(s) rewritten so far`) });
    out(`done: ${JSON.stringify(counts)}; left: ${JSON.stringify(await staleCounts(store))}`);
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`reseal failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
