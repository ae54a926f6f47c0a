/**
 * bench:crypto — what sealing personal data at rest costs a turn (issue 17), as CPU time in this
 * process: the turn's own work (the inbound message sealed, two replies sealed, the state item opened
 * at the start and sealed at the end: src/store/sealedTurnStore.ts), and what the Prisma extension
 * adds to a dialog's read of a customer (four fields opened) and to a write (sealed, blind indexes).
 * Printed next to the CPU a turn costs (bench:turns, README: 6.8 ms at 16 conversations on SQLite).
 *
 *   npm run bench:crypto                 # ~5 s
 *   npm run bench:crypto -- --turns 50000 --queries 5000
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PrismaClient as SqliteClient } from '../../generated/sqlite/client';
import { sqliteFilePath } from '../../src/store/connection';
import { FieldCipher } from '../../src/store/fieldCrypto';
import { migrate } from '../../src/store/migrate';
import { SqliteDriver, sqliteAdapterFactory } from '../../src/store/sqliteDriver';
import { openResult, sealArgs, withSealedFields } from '../../src/store/sealedFields';

const arg = (name: string, fallback: number) => (process.argv.includes(`--${name}`) ? Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) : fallback);
const TURNS = arg('turns', 20_000);
/** The CPU a turn costs today (README, bench:turns after the merges: SQLite, 16 conversations, serviceUrl). */
const TURN_CPU_MS = arg('turn-cpu-ms', 6.8);

const cipher = new FieldCipher();
const inbound = '我的新地址是杭州市西湖区文三路 478 号华星时代广场 A 座 1203 室';
const replies = ['已更新：您的地址已从 上海市浦东新区世纪大道100号 改为 杭州市西湖区文三路 478 号华星时代广场 A 座 1203 室。此次更改已记入审计日志。', '还有什么可以帮您？'];
// A conversation state item as a dialog in progress stores it (~1.5 KB of JSON).
const state = JSON.stringify({
  dialogState: { dialogStack: [{ id: 'kefu.main', state: { options: {}, values: { instanceId: 'a'.repeat(36) }, stepIndex: 1 } }, { id: 'kefu.myData', state: { options: {}, values: { field: 'address', instanceId: 'b'.repeat(36), said: inbound }, stepIndex: 2 } }] },
  kefu: { misses: 0, lastIntent: 'my_data', locale: 'zh-CN', recent: Array.from({ length: 12 }, (_, i) => ({ intent: 'my_data', at: `2026-11-30T09:${10 + i}:00Z` })) },
  padding: 'x'.repeat(800),
});
const sealedState = cipher.seal(state);

function cpuMs(fn: () => void, n: number): number {
  for (let i = 0; i < Math.min(n, 2000); i++) fn(); // warm-up
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

const perTurn = cpuMs(() => {
  cipher.seal(inbound);
  for (const r of replies) cipher.seal(r);
  cipher.open(sealedState);
  cipher.seal(state);
}, TURNS);

const row = { id: 'c1', name: cipher.seal('张伟'), phone: cipher.seal('13812345678'), email: cipher.seal('zhang.wei@example.com'), address: cipher.seal('上海市浦东新区世纪大道100号'), locale: 'zh-CN', tier: 'GOLD', points: 2484, createdAt: new Date() };
const read = cpuMs(() => openResult(cipher, { ...row }), TURNS);
const write = cpuMs(() => sealArgs(cipher, 'Customer', 'update', { where: { id: 'c1' }, data: { phone: '13912345678' } }), TURNS);
const lookup = cpuMs(() => sealArgs(cipher, 'Customer', 'findFirst', { where: { phone: '139 1234 5678' } }), TURNS);
const plainRead = cpuMs(() => openResult(cipher, { id: 'c1', tier: 'GOLD', points: 1, locale: 'zh-CN', createdAt: new Date() }), TURNS);

/** CPU per call of an async operation, run one after another. */
async function cpuMsAsync(fn: () => Promise<unknown>, n: number): Promise<number> {
  for (let i = 0; i < Math.min(n, 200); i++) await fn();
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

/**
 * The Prisma extension's own cost per query, on a real SQLite store: the same read through a plain
 * client and through the same client with the extension (as openStore builds it), interleaved.
 */
async function extensionCost(n: number): Promise<{ plain: number; sealed: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-bench-crypto-'));
  const url = `file:${path.join(dir, 'bench.db')}`;
  await migrate(url);
  const { default: Database } = await import('better-sqlite3');
  const connection = new Database(sqliteFilePath(url));
  const plain = new SqliteClient({ adapter: sqliteAdapterFactory(new SqliteDriver(connection)) });
  try {
    const sealed = withSealedFields(plain, cipher);
    await sealed.customer.create({ data: { id: 'c1', name: '张伟', phone: '13812345678', email: 'zhang.wei@example.com', address: '上海市浦东新区世纪大道100号' } });
    const totals = { plain: 0, sealed: 0 };
    for (let round = 0; round < 3; round++) {
      totals.plain += await cpuMsAsync(() => plain.customer.findUnique({ where: { id: 'c1' } }), n);
      totals.sealed += await cpuMsAsync(() => sealed.customer.findUnique({ where: { id: 'c1' } }), n);
    }
    return { plain: totals.plain / 3, sealed: totals.sealed / 3 };
  } finally {
    await plain.$disconnect();
    connection.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const queries = arg('queries', 3000);
  const ext = await extensionCost(queries);
  const layer = ext.sealed - ext.plain;

  const pct = (ms: number) => `${((ms / TURN_CPU_MS) * 100).toFixed(2)} %`;
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  const lines = [
    `bench:crypto — ${TURNS} iterations each, CPU time (user + system) per operation, AES-256-GCM (node ${process.version})`,
    '',
    '| what | CPU | share of a turn (' + TURN_CPU_MS + ' ms) |',
    '|---|---|---|',
    `| every turn: inbound sealed, 2 replies sealed, state (${state.length} B) opened and sealed | ${us(perTurn)} | ${pct(perTurn)} |`,
    `| a dialog reads a customer (4 fields opened, Prisma extension) | ${us(read)} | ${pct(read)} |`,
    `| a result without sealed values walked by the extension | ${us(plainRead)} | ${pct(plainRead)} |`,
    `| a customer's phone written (sealed + blind index) | ${us(write)} | ${pct(write)} |`,
    `| a lookup by phone (blind index of the query) | ${us(lookup)} | ${pct(lookup)} |`,
    `| a Prisma query: the extension itself (a customer read on SQLite: ${us(ext.plain)} plain, ${us(ext.sealed)} with it; ${queries} queries x 3 rounds; negative = below the noise) | ${us(layer)} | ${pct(layer)} |`,
    '',
    `a turn that also reads a customer: ${us(perTurn + read + Math.max(0, layer))}, ${pct(perTurn + read + Math.max(0, layer))} of its CPU (target: under 5 %)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:crypto failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
