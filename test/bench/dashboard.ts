/**
 * Dashboard bench: `npm run bench:dashboard -- [--messages 1000000] [--tickets 100000] [--surveys 100000]
 *   [--orders 100000] [--runs 40] [--only sqlite|postgresql] [--indexes both|with|without] [--profile] [--keep]`
 * (`--keep` leaves the seeded database in place and prints its URL, to try statements on it.)
 *
 * For each provider, in a temporary database (dropped afterwards):
 * 1. bulk-seeds, in raw SQL inside the database (generate_series on PostgreSQL, a recursive CTE on
 *    SQLite), 20 agents, 10 000 customers, 100 000 conversations, the messages, tickets, survey answers
 *    and orders, spread over the last two years;
 * 2. starts the real server and times every JSON API call of the dashboard (30-day and 1-year ranges,
 *    with and without filters, as a manager and as an agent), p50 / p95 per call, first WITHOUT the
 *    indexes of the dashboard_indexes migration (dropped), then WITH them (re-created from it).
 * The machine's load (`uptime`) is printed with the figures: the machine is shared. `--profile` then
 * prints, for the year-long report by week, each raw statement's time (median of 5 calls).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logger';
import { sqliteFilePath } from '../../src/store/connection';
import { openStore, type Provider } from '../../src/store/db';
import { MIGRATIONS_ROOT } from '../../src/store/migrate';
import { AgentService } from '../../src/features/tickets/agents';
import { createTestDatabase, PROVIDERS } from '../support/db';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    tickets: { type: 'string', default: '100000' },
    surveys: { type: 'string', default: '100000' },
    orders: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '40' },
    only: { type: 'string' },
    indexes: { type: 'string', default: 'both' },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const N = { messages: Number(args.messages), tickets: Number(args.tickets), surveys: Number(args.surveys), orders: Number(args.orders) };
const RUNS = Number(args.runs);
const CONVERSATIONS = 100_000;
const CUSTOMERS = 10_000;
const AGENTS = 20;
/** Two years of data, in seconds. */
const SPAN = 730 * 86_400;
const out = (line = '') => process.stdout.write(`${line}\n`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Raw SQL of the seed, written once for both stores: the row series, a time N seconds before the base, casts. */
function dialect(provider: Provider, base: Date) {
  const pg = provider === 'postgresql';
  const iso = base.toISOString().replace('Z', '');
  return {
    series: (n: number) => (pg ? `WITH s(i) AS (SELECT generate_series(1, ${n}))` : `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n})`),
    ago: (seconds: string) => (pg ? `(CAST('${iso}' AS TIMESTAMP(3)) - (${seconds}) * INTERVAL '1 second')` : `(strftime('%Y-%m-%dT%H:%M:%f', '${iso}', '-' || (${seconds}) || ' seconds') || '+00:00')`),
    cast: (expr: string, type: string) => (pg ? `CAST(${expr} AS "${type}")` : expr),
    json: pg ? `CAST('{}' AS JSONB)` : `'{}'`,
    now: pg ? 'CURRENT_TIMESTAMP' : `'${base.toISOString().replace('Z', '+00:00')}'`,
  };
}

/** A deterministic spread of i over 0 .. m-1 (the same on both stores). */
const h = (i: string, m: number, salt = 48271) => `((CAST(${i} AS BIGINT) * ${salt}) % 2147483647 % ${m})`;
const pickSql = (i: string, values: (string | number)[], salt?: number) =>
  `CASE ${h(i, values.length, salt)} ${values.map((v, k) => `WHEN ${k} THEN ${typeof v === 'number' ? v : `'${v}'`}`).join(' ')} END`;

function seedStatements(provider: Provider, base: Date): [string, string][] {
  const d = dialect(provider, base);
  const CHANNELS = ['webchat', 'wechat', 'webchat', 'emulator'];
  const TRIGGERS = ['handoff_ended', 'ticket_resolved', 'task_finished', 'manual'];
  const CATEGORIES = ['consultation', 'consultation', 'complaint', 'return', 'exchange', 'repair', 'order_issue', 'other'];
  const ticketAgo = `(i * ${Math.floor(SPAN / N.tickets)} + ${h('i', 3600)})`;
  const surveyAgo = `(i * ${Math.floor(SPAN / N.surveys)} + ${h('i', 3600)})`;
  return [
    ['agents', `${d.series(AGENTS)} INSERT INTO "Agent" ("id", "name", "role", "tokenHash", "updatedAt") SELECT 'ba' || i, 'Agent ' || i, ${d.cast(`'agent'`, 'AgentRole')}, 'bench-' || i, ${d.now} FROM s`],
    ['customers', `${d.series(CUSTOMERS)} INSERT INTO "Customer" ("id", "updatedAt") SELECT 'bc' || i, ${d.now} FROM s`],
    [
      'conversations',
      `${d.series(CONVERSATIONS)} INSERT INTO "Conversation" ("id", "channelId", "channelConversationId", "customerId", "reference", "status", "startedAt", "lastActivityAt")
       SELECT 'bv' || i, ${pickSql('i', CHANNELS)}, 'bench-' || i, 'bc' || (i % ${CUSTOMERS} + 1), ${d.json}, ${d.cast(`'CLOSED'`, 'ConversationStatus')}, ${d.ago(`i * ${Math.floor(SPAN / CONVERSATIONS)}`)}, ${d.ago(`i * ${Math.floor(SPAN / CONVERSATIONS)}`)} FROM s`,
    ],
    [
      'messages',
      `${d.series(N.messages)} INSERT INTO "Message" ("id", "conversationId", "customerId", "direction", "senderType", "activityType", "text", "timestamp")
       SELECT 'bm' || i, 'bv' || (i % ${CONVERSATIONS} + 1), 'bc' || ((i % ${CONVERSATIONS}) % ${CUSTOMERS} + 1),
              ${d.cast(`CASE WHEN i % 2 = 0 THEN 'INBOUND' ELSE 'OUTBOUND' END`, 'MessageDirection')}, ${d.cast(`CASE WHEN i % 2 = 0 THEN 'customer' ELSE 'bot' END`, 'MessageSender')},
              'message', 'bench message ' || i, ${d.ago(`(i % ${CONVERSATIONS} + 1) * ${Math.floor(SPAN / CONVERSATIONS)} - i / ${CONVERSATIONS} * 30`)} FROM s`,
    ],
    [
      'tickets',
      `${d.series(N.tickets)} INSERT INTO "Ticket" ("id", "number", "customerId", "conversationId", "channelId", "category", "status", "summary", "ownerId", "createdAt", "updatedAt",
                                                    "firstResponseDueAt", "firstRespondedAt", "resolutionDueAt", "resolvedAt")
       SELECT 'bt' || i, 'B' || i, 'bc' || (i % ${CUSTOMERS} + 1), 'bv' || (i % ${CONVERSATIONS} + 1), ${pickSql(`(i % ${CONVERSATIONS} + 1)`, CHANNELS)}, ${d.cast(pickSql('i', CATEGORIES, 16807), 'TicketCategory')},
              ${d.cast(`CASE WHEN ${h('i', 10, 69621)} < 8 THEN 'CLOSED' ELSE 'OPEN' END`, 'TicketStatus')}, 'bench ticket ' || i,
              CASE WHEN ${h('i', 10, 7)} = 0 THEN NULL ELSE 'ba' || (${h('i', AGENTS, 31)} + 1) END,
              ${d.ago(ticketAgo)}, ${d.ago(ticketAgo)},
              ${d.ago(`${ticketAgo} - 86400`)}, CASE WHEN ${h('i', 10, 11)} < 9 THEN ${d.ago(`${ticketAgo} - ${h('i', 30, 13)} * 3600`)} END,
              CASE WHEN ${h('i', 8, 16807)} = 2 THEN ${d.ago(`${ticketAgo} - 172800`)} END,
              CASE WHEN ${h('i', 10, 69621)} < 8 THEN ${d.ago(`${ticketAgo} - ${h('i', 72, 17)} * 3600`)} END FROM s`,
    ],
    [
      'surveys',
      `${d.series(N.surveys)} INSERT INTO "Survey" ("id", "customerId", "conversationId", "trigger", "channelId", "locale", "agentId", "ticketCategory", "status", "stage",
                                                    "sendAfter", "sentAt", "expiresAt", "score", "nps", "comment", "answeredAt", "causeKey")
       SELECT 'bs' || i, 'bc' || (i % ${CUSTOMERS} + 1), 'bv' || (i % ${CONVERSATIONS} + 1), ${pickSql('i', TRIGGERS, 31)}, ${pickSql('i', CHANNELS)}, 'zh-CN',
              CASE WHEN ${h('i', 4, 31)} = 0 OR ${h('i', 4, 31)} = 1 THEN 'ba' || (${h('i', AGENTS, 37)} + 1) END,
              CASE WHEN ${h('i', 4, 31)} = 1 THEN ${pickSql('i', CATEGORIES, 16807)} END,
              CASE WHEN ${h('i', 20, 41)} < 12 THEN 'ANSWERED' WHEN ${h('i', 20, 41)} < 17 THEN 'EXPIRED' WHEN ${h('i', 20, 41)} < 18 THEN 'SENT' ELSE 'SKIPPED' END, 'done',
              ${d.ago(surveyAgo)}, CASE WHEN ${h('i', 20, 41)} < 18 THEN ${d.ago(surveyAgo)} END, ${d.ago(`${surveyAgo} - 86400`)},
              CASE WHEN ${h('i', 20, 41)} < 12 THEN ${pickSql('i', [5, 5, 5, 4, 4, 3, 2, 1], 43)} END,
              CASE WHEN ${h('i', 20, 41)} < 6 THEN ${h('i', 11, 47)} END,
              CASE WHEN ${h('i', 20, 41)} < 12 AND ${h('i', 8, 43)} >= 6 THEN 'bench comment ' || i END,
              CASE WHEN ${h('i', 20, 41)} < 12 THEN ${d.ago(`${surveyAgo} - 600`)} END, 'bench:' || i FROM s`,
    ],
    [
      'orders',
      `${d.series(N.orders)} INSERT INTO "Order" ("id", "number", "customerId", "status", "itemsTotal", "total", "shippingName", "shippingPhone", "shippingAddress", "createdAt", "updatedAt")
       SELECT 'bo' || i, 'KFB' || i, 'bc' || (i % ${CUSTOMERS} + 1), ${d.cast(`'DELIVERED'`, 'OrderStatus')}, 100, 100, 'x', 'x', 'x', ${d.ago(`i * ${Math.floor(SPAN / N.orders)}`)}, ${d.now} FROM s`,
    ],
  ];
}

/** Runs raw statements straight on the database (no Prisma: the seed is bulk SQL). */
async function rawSql(provider: Provider, url: string): Promise<{ run: (sql: string) => Promise<void>; close: () => Promise<void> }> {
  if (provider === 'sqlite') {
    const db = new Database(sqliteFilePath(url));
    db.pragma('journal_mode = WAL');
    return { run: async (sql) => void db.exec(sql), close: async () => void db.close() };
  }
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return { run: async (sql) => void (await client.query(sql)), close: () => client.end() };
}

/** CREATE INDEX statements of the dashboard_indexes migration for a provider. */
function indexStatements(provider: Provider): { name: string; create: string }[] {
  const dir = path.join(MIGRATIONS_ROOT, provider === 'sqlite' ? 'sqlite' : 'postgres', 'migrations');
  return fs
    .readdirSync(dir)
    .filter((f) => /_dashboard_indexes$/.test(f))
    .flatMap((folder) => [...fs.readFileSync(path.join(dir, folder, 'migration.sql'), 'utf8').matchAll(/CREATE INDEX "([^"]+)"[^;]+;/g)])
    .map((m) => ({ name: m[1], create: m[0] }));
}

function day(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}

async function benchProvider(provider: Provider): Promise<void> {
  out(`\n== ${provider} ==`);
  const database = await createTestDatabase(provider, 'benchdashboard');
  try {
    const base = new Date();
    const raw = await rawSql(provider, database.url);
    // The planner's statistics, and on PostgreSQL the visibility map autovacuum keeps after a bulk load (without it
    // every index-only scan reads the table too): the state of a store in use, not of one just loaded.
    const statistics = provider === 'postgresql' ? 'VACUUM ANALYZE' : 'ANALYZE';
    for (const [name, sql] of seedStatements(provider, base)) {
      const t0 = performance.now();
      await raw.run(sql);
      out(`  seed ${name.padEnd(14)} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    await raw.run(statistics);

    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, LOG_LEVEL: 'silent', DB_SEED_ON_START: 'false', TICKETS_SLA_WATCH_ENABLED: 'false' });
    const app = await startApp(config, { logger: createLogger('silent') });
    const services = await openStore(database.url, { poolSize: 1 });
    try {
      const manager = await new AgentService(services.db).create({ name: 'bench manager', role: 'manager' });
      const agent = await new AgentService(services.db).create({ name: 'bench agent', role: 'agent' });
      // The agent's own rows: a share of the surveys and tickets of 'ba3' handed to the signed-in agent.
      await raw.run(`UPDATE "Survey" SET "agentId" = '${agent.agent.id}' WHERE "agentId" = 'ba3'`);
      await raw.run(`UPDATE "Ticket" SET "ownerId" = '${agent.agent.id}' WHERE "ownerId" = 'ba3'`);
      await raw.run(statistics);
      const today = day(base);
      const back = (days: number) => day(new Date(base.getTime() - days * 86_400_000));
      const month = `from=${back(29)}&to=${today}&granularity=day`;
      const year = `from=${back(364)}&to=${today}&granularity=week`;
      const cases: [string, string, string][] = [
        ['30 days, by day', manager.token, `/dashboard/api/report?${month}`],
        ['30 days, agent=ba7', manager.token, `/dashboard/api/report?${month}&agent=ba7`],
        ['30 days, category=complaint', manager.token, `/dashboard/api/report?${month}&category=complaint`],
        ['30 days, channel=wechat & trigger=handoff_ended', manager.token, `/dashboard/api/report?${month}&channel=wechat&trigger=handoff_ended`],
        ['30 days, as an agent (own figures)', agent.token, `/dashboard/api/report?${month}`],
        ['1 year, by week', manager.token, `/dashboard/api/report?${year}`],
        ['1 year, by quarter', manager.token, `/dashboard/api/report?from=${back(364)}&to=${today}&granularity=quarter`],
        ['1 year, agent=ba7 & category=consultation', manager.token, `/dashboard/api/report?${year}&agent=ba7&category=consultation`],
        ['1 year, channel=webchat', manager.token, `/dashboard/api/report?${year}&channel=webchat`],
        ['1 year, as an agent (own figures)', agent.token, `/dashboard/api/report?${year}`],
        ['drill-down: low scores, 1 year, page 1', manager.token, `/dashboard/api/rows?figure=lowScores&${year}`],
        ['drill-down: missed resolutions, 30 days', manager.token, `/dashboard/api/rows?figure=resolutionMissed&${month}`],
        ['transcript of a conversation (JSON)', manager.token, `/dashboard/api/conversations/bv4242`],
      ];
      const measure = async (label: string) => {
        out(`  ${label} (ms, ${RUNS} runs each; load: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}):`);
        for (const [name, token, url] of cases) {
          const call = async () => {
            const res = await fetch(`${app.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
            const text = await res.text();
            return { status: res.status, text };
          };
          const first = await call();
          if (first.status !== 200) {
            out(`    ${name.padEnd(48)} status ${first.status}: ${first.text.slice(0, 90)}`);
            continue;
          }
          for (let i = 0; i < 3; i++) await call();
          const samples: number[] = [];
          for (let i = 0; i < RUNS; i++) {
            const t0 = performance.now();
            await call();
            samples.push(performance.now() - t0);
          }
          samples.sort((a, b) => a - b);
          const p95 = percentile(samples, 95);
          out(`    ${name.padEnd(48)} p50 ${percentile(samples, 50).toFixed(1).padStart(7)}  p95 ${p95.toFixed(1).padStart(7)}${p95 > 200 ? '  (over 200 ms)' : ''}`);
        }
      };
      const indexes = indexStatements(provider);
      if (args.indexes !== 'with' && indexes.length) {
        for (const i of indexes) await raw.run(`DROP INDEX IF EXISTS "${i.name}"`);
        await raw.run(statistics);
        await measure(`without the dashboard_indexes migration (${indexes.map((i) => i.name).join(', ')})`);
        for (const i of indexes) await raw.run(i.create);
        await raw.run(statistics);
      }
      if (args.indexes !== 'without' || !indexes.length) await measure(indexes.length ? 'with the dashboard_indexes migration' : 'as migrated');
      if (args.profile) await profile(app.store.db, `${app.url}/dashboard/api/report?${year}`, manager.token, provider);
      if (args.profile) await profile(app.store.db, `${app.url}/dashboard/api/report?${year}&channel=webchat`, manager.token, provider);
    } finally {
      await services.close();
      await app.stop();
      await raw.close();
    }
  } finally {
    if (args.keep) out(`  kept the database: ${database.url}`);
    else await database.drop();
  }
}

/**
 * The raw statements of one call, each replayed alone 5 times (median): the call issues them at once,
 * and on SQLite's one connection they queue, so timing them inside the call measures the queue.
 */
async function profile(db: { $queryRawUnsafe: (...args: never[]) => Promise<unknown> }, url: string, token: string, provider: Provider): Promise<void> {
  const original = db.$queryRawUnsafe.bind(db) as (...args: unknown[]) => Promise<unknown>;
  const seen: unknown[][] = [];
  Object.assign(db, { $queryRawUnsafe: (...a: unknown[]) => (seen.push(a), original(...a)) });
  try {
    await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).text();
  } finally {
    Object.assign(db, { $queryRawUnsafe: original });
  }
  out(`  profile of ${url.split('?')[1]}: each of its ${seen.length} raw statements alone (ms, median of 5):`);
  const rows: [number, string][] = [];
  for (const a of seen) {
    const t: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await original(...a);
      t.push(performance.now() - t0);
    }
    // SQLite's plan of the statement (which index, a temporary b-tree): the store chooses with ANALYZE's statistics.
    const plan = provider === 'sqlite' ? ((await original(`EXPLAIN QUERY PLAN ${String(a[0])}`, ...a.slice(1))) as { detail: string }[]).map((r) => r.detail).join('; ') : '';
    rows.push([t.sort((x, y) => x - y)[2], `${String(a[0]).replace(/\s+/g, ' ').slice(0, 100)}${plan ? `\n             plan: ${plan.slice(0, 160)}` : ''}`]);
  }
  for (const [ms, sql] of rows.sort((x, y) => y[0] - x[0])) out(`    ${ms.toFixed(1).padStart(7)}  ${sql}`);
  out(`    ${rows.reduce((n, [ms]) => n + ms, 0).toFixed(1).padStart(7)}  in all`);
}

async function main() {
  out(`dashboard bench: ${N.messages} messages, ${N.tickets} tickets, ${N.surveys} surveys, ${N.orders} orders, ${CONVERSATIONS} conversations; node ${process.version}, ${os.cpus().length} cores`);
  out(`uptime: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min load)`);
  for (const provider of PROVIDERS) if (!args.only || args.only === provider) await benchProvider(provider);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
