/**
 * Audit bench: `npx tsx test/bench/audit.ts [--rows 1000] [--only sqlite|postgresql]` (npm run bench:audit)
 *
 * For each provider, in a temporary database (dropped afterwards): audit rows per second written
 * through writeAudit (hash-chained: the head row update serializes writers), one at a time and 8
 * transactions at a time, against the same rows written unchained (a plain insert, as before the
 * chain); then how long `audit:verify` takes to walk them. Prints; asserts nothing.
 */
import { parseArgs } from 'node:util';
import { writeAudit } from '../../src/crm/audit';
import { verifyAuditChain } from '../../src/crm/auditChain';
import type { Provider, Store } from '../../src/store/db';
import { openTestStore } from '../support/db';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000' }, only: { type: 'string' } } });
const ROWS = Number(values.rows);

const entry = (i: number) => ({ actor: { type: 'agent' as const, id: `agent-${i % 20}` }, action: 'customer.update', entity: 'Customer', entityId: `c${i % 500}`, before: { phone: `1380000${String(i).padStart(4, '0')}` }, after: { phone: `1390000${String(i).padStart(4, '0')}` }, reason: 'bench' });

async function rate(label: string, n: number, concurrency: number, write: (i: number) => Promise<unknown>): Promise<void> {
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await write(next++);
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`  ${label.padEnd(44)} ${String(Math.round(n / seconds)).padStart(6)} rows/s\n`);
}

async function bench(provider: Provider): Promise<void> {
  const { store, close } = await openTestStore(provider, 'benchaudit');
  try {
    process.stdout.write(`${provider}: ${ROWS} rows per run\n`);
    const db = (store as Store).db;
    for (const concurrency of [1, 8]) {
      await rate(`unchained insert, ${concurrency} at a time`, ROWS, concurrency, (i) => db.$transaction((tx) => tx.auditLog.create({ data: { actorType: 'agent', actorId: `agent-${i % 20}`, action: 'customer.update', entity: 'Customer', entityId: `c${i % 500}`, before: entry(i).before, after: entry(i).after, reason: 'bench' } })));
      await rate(`writeAudit (hash-chained), ${concurrency} at a time`, ROWS, concurrency, (i) => db.$transaction((tx) => writeAudit(tx, entry(i))));
    }
    const started = process.hrtime.bigint();
    const result = await verifyAuditChain(db);
    process.stdout.write(`  audit:verify: ${result.checked} chained rows (${result.unchained} unchained) in ${Math.round(Number(process.hrtime.bigint() - started) / 1e6)} ms, ok=${result.ok}\n`);
  } finally {
    await close();
  }
}

async function main(): Promise<void> {
  for (const provider of ['sqlite', 'postgresql'] as Provider[]) if (!values.only || values.only === provider) await bench(provider);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
