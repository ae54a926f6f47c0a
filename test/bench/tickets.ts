/**
 * Tickets bench: `npx tsx test/bench/tickets.ts [--tickets 100000] [--opens 2000] [--runs 200] [--only sqlite|postgresql]`
 *
 * For each provider, in a temporary database (dropped afterwards):
 * 1. bulk-loads N tickets (createMany batches) for 2 000 customers and 20 agents, spread over 90 days
 *    with a realistic status mix;
 * 2. measures the real `tickets.open` rate (sequential, and 8 at a time);
 * 3. measures filtered-list latency (p50 / p95) through the service for the queries agents,
 *    supervisors, the chat and the SLA watch run - first WITHOUT the indexes of the
 *    tickets_indexes and tickets_due_index migrations (dropped), then WITH them (re-created from them);
 * 4. measures the same list over HTTP (GET /api/tickets) through the real server.
 */
import { EventLog } from '../../src/events/eventLog';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logger';
import { openStore, type Provider, type Store } from '../../src/store/db';
import { MIGRATIONS_ROOT } from '../../src/store/migrate';
import { mulberry32 } from '../../src/store/seed';
import { visibleTo } from '../../src/features/tickets/access';
import { AgentService } from '../../src/features/tickets/agents';
import { DEFAULT_CALENDAR_FILE, loadCalendarFile, WorkingCalendar } from '../../src/calendar/calendar';
import { formatTicketNumber, shopDay } from '../../src/features/tickets/numbering';
import { listTickets, type TicketFilter } from '../../src/features/tickets/queries';
import { DEFAULT_SLA_POLICIES } from '../../src/features/tickets/sla';
import { TicketService } from '../../src/features/tickets/service';
import { findSlaCandidates } from '../../src/features/tickets/slaWatch';
import { TICKET_CATEGORIES, type TicketCategory, type TicketPriority, type TicketStatus } from '../../src/features/tickets/types';
import { createTestDatabase, PROVIDERS } from '../support/db';
import type { Prisma } from '../../generated/sqlite/client';

const { values: args } = parseArgs({
  options: {
    tickets: { type: 'string', default: '100000' },
    opens: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '200' },
    only: { type: 'string' },
  },
});
const TICKETS = Number(args.tickets);
const OPENS = Number(args.opens);
const RUNS = Number(args.runs);
const TZ = 'Asia/Shanghai';
const out = (line = '') => process.stdout.write(`${line}\n`);

function pick<T>(r: () => number, weighted: [T, number][]): T {
  const total = weighted.reduce((n, [, w]) => n + w, 0);
  let x = r() * total;
  for (const [v, w] of weighted) if ((x -= w) < 0) return v;
  return weighted[weighted.length - 1][0];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

const STATUS_MIX: [TicketStatus, number][] = [
  ['CLOSED', 62],
  ['RESOLVED', 10],
  ['OPEN', 12],
  ['NEW', 5],
  ['PENDING_CUSTOMER', 7],
  ['ESCALATED', 2],
  ['REOPENED', 2],
];
const CATEGORY_MIX: [TicketCategory, number][] = [
  ['consultation', 35],
  ['return', 20],
  ['exchange', 8],
  ['complaint', 12],
  ['repair', 8],
  ['order_issue', 12],
  ['privacy_request', 1],
  ['other', 4],
];
const PRIORITY_MIX: [TicketPriority, number][] = [
  ['low', 10],
  ['normal', 70],
  ['high', 15],
  ['urgent', 5],
];

interface Fixture {
  customers: string[];
  agents: string[];
}

async function bulkLoad(store: Store, n: number): Promise<Fixture> {
  const r = mulberry32(42);
  const db = store.db;
  const customers = Array.from({ length: 2000 }, (_, i) => ({ id: `bc${i}`, name: `Bench ${i}` }));
  await db.customer.createMany({ data: customers });
  const agents = Array.from({ length: 20 }, (_, i) => ({ id: `ba${i}`, name: `Agent ${i}`, role: 'agent' as const, tokenHash: `bench-${i}` }));
  await db.agent.createMany({ data: agents });
  const now = Date.now();
  const perDay = new Map<string, number>();
  const BATCH = 2000;
  for (let start = 0; start < n; start += BATCH) {
    const rows: Prisma.TicketCreateManyInput[] = [];
    for (let i = start; i < Math.min(n, start + BATCH); i++) {
      const createdAt = new Date(now - 86_400_000 - r() * 90 * 86_400_000);
      const day = shopDay(createdAt, TZ);
      const seq = (perDay.get(day) ?? 0) + 1;
      perDay.set(day, seq);
      const status = pick(r, STATUS_MIX);
      const settled = status === 'CLOSED' || status === 'RESOLVED';
      const assignee = status === 'NEW' ? null : agents[Math.floor(r() * agents.length)].id;
      const dueAt = settled ? null : new Date(createdAt.getTime() + (12 + r() * 60) * 3_600_000);
      rows.push({
        id: `bt${i}`,
        number: formatTicketNumber(day, seq),
        customerId: customers[Math.floor(r() * customers.length)].id,
        category: pick(r, CATEGORY_MIX),
        priority: pick(r, PRIORITY_MIX),
        status,
        summary: `Bench ticket ${i}: ${pick(r, [['size too small', 1], ['parcel late', 1], ['invoice needed', 1], ['screen cracked', 1], ['refund not received', 1]])}`,
        ownerId: assignee,
        assigneeId: assignee,
        dueAt,
        slaTarget: dueAt ? 'first_response' : null,
        slaWarnAt: dueAt && status !== 'PENDING_CUSTOMER' && r() < 0.05 ? dueAt : null,
        slaBreachAt: dueAt && status !== 'PENDING_CUSTOMER' && r() < 0.05 ? dueAt : null,
        createdAt,
        updatedAt: new Date(createdAt.getTime() + r() * 86_400_000),
        resolvedAt: settled ? new Date(createdAt.getTime() + 86_400_000) : null,
        closedAt: status === 'CLOSED' ? new Date(createdAt.getTime() + 8 * 86_400_000) : null,
      });
    }
    await db.ticket.createMany({ data: rows });
  }
  await db.ticketSequence.createMany({ data: [...perDay].map(([day, value]) => ({ day, value })) });
  return { customers: customers.map((c) => c.id), agents: agents.map((a) => a.id) };
}

/** CREATE INDEX statements of the tickets index migrations (tickets_indexes, tickets_due_index) for a provider. */
function indexStatements(provider: Provider): { name: string; create: string }[] {
  const dir = path.join(MIGRATIONS_ROOT, provider === 'sqlite' ? 'sqlite' : 'postgres', 'migrations');
  return fs
    .readdirSync(dir)
    .filter((d) => /_tickets_\w*index/.test(d))
    .flatMap((folder) => [...fs.readFileSync(path.join(dir, folder, 'migration.sql'), 'utf8').matchAll(/CREATE INDEX "([^"]+)"[^;]+;/g)])
    .map((m) => ({ name: m[1], create: m[0] }));
}

async function measureLists(store: Store, fx: Fixture, label: string): Promise<void> {
  const now = new Date();
  const agent = { id: fx.agents[3], name: 'Agent 3', role: 'agent' as const };
  const unsettled: TicketStatus[] = ['NEW', 'OPEN', 'PENDING_CUSTOMER', 'ESCALATED', 'REOPENED'];
  const sample = await store.db.ticket.findFirstOrThrow({ where: { id: 'bt5000' } });
  const cases: [string, () => Promise<unknown>][] = [
    ["agent's queue (own + unassigned, unsettled, by due)", () => listTickets(store.db, { status: unsettled, limit: 50 }, now, visibleTo(agent))],
    ['overdue, by due (supervisor)', () => listTickets(store.db, { overdue: true, limit: 50 }, now)],
    ['status=ESCALATED, by due', () => listTickets(store.db, { status: ['ESCALATED'], limit: 50 }, now)],
    ['category=complaint & status=OPEN', () => listTickets(store.db, { category: ['complaint'], status: ['OPEN'], limit: 50 }, now)],
    ['assignee=X & status=OPEN,PENDING', () => listTickets(store.db, { assigneeId: fx.agents[7], status: ['OPEN', 'PENDING_CUSTOMER'], limit: 50 }, now)],
    ['created in last 7 days, newest first', () => listTickets(store.db, { createdFrom: new Date(now.getTime() - 7 * 86_400_000), sort: 'created', limit: 50 }, now)],
    ['q = ticket number', () => listTickets(store.db, { q: sample.number } as TicketFilter, now)],
    ["customer's tickets (chat)", () => store.db.ticket.findMany({ where: { customerId: fx.customers[11] }, orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }], take: 5 })],
    [
      'SLA watch candidates',
      () => findSlaCandidates(store.db, now, 500),
    ],
  ];
  out(`  list latency ${label} (ms, ${RUNS} runs each):`);
  for (const [name, fn] of cases) {
    const t = await time(RUNS, fn);
    out(`    ${name.padEnd(55)} p50 ${t.p50.toFixed(2).padStart(7)}  p95 ${t.p95.toFixed(2).padStart(7)}`);
  }
}

async function benchProvider(provider: Provider): Promise<void> {
  out(`\n== ${provider} ==`);
  const database = await createTestDatabase(provider, 'benchtickets');
  let store: Store | undefined;
  try {
    store = await openStore(database.url, { poolSize: 10 });
    let t0 = performance.now();
    const fx = await bulkLoad(store, TICKETS);
    let s = (performance.now() - t0) / 1000;
    out(`  bulk load (createMany): ${TICKETS} tickets in ${s.toFixed(1)} s (${Math.round(TICKETS / s)} rows/s)`);

    const calendar = new WorkingCalendar(loadCalendarFile(DEFAULT_CALENDAR_FILE), TZ);
    const tickets = new TicketService({ db: store.db, calendar, policies: DEFAULT_SLA_POLICIES, timeZone: TZ, warnRatio: 0.8, reopenWindowDays: 7, events: new EventLog(provider) });
    const openOne = (i: number) =>
      tickets.open({ customerId: fx.customers[i % fx.customers.length], category: TICKET_CATEGORIES[i % TICKET_CATEGORIES.length], summary: `opened ${i}`, actor: { type: 'bot' } });
    t0 = performance.now();
    for (let i = 0; i < OPENS; i++) await openOne(i);
    s = (performance.now() - t0) / 1000;
    out(`  tickets.open, one at a time: ${OPENS} in ${s.toFixed(1)} s = ${Math.round(OPENS / s)} tickets/s`);
    t0 = performance.now();
    const CONC = 8;
    let next = 0;
    await Promise.all(
      Array.from({ length: CONC }, async () => {
        while (next < OPENS) await openOne(OPENS + next++);
      }),
    );
    s = (performance.now() - t0) / 1000;
    out(`  tickets.open, ${CONC} at a time: ${OPENS} in ${s.toFixed(1)} s = ${Math.round(OPENS / s)} tickets/s`);

    const indexes = indexStatements(provider);
    for (const ix of indexes) await store.db.$executeRawUnsafe(`DROP INDEX IF EXISTS "${ix.name}"`);
    await store.db.$executeRawUnsafe(provider === 'sqlite' ? 'ANALYZE' : 'ANALYZE "Ticket"');
    await measureLists(store, fx, `WITHOUT the ${indexes.length} list indexes`);
    t0 = performance.now();
    for (const ix of indexes) await store.db.$executeRawUnsafe(ix.create);
    await store.db.$executeRawUnsafe(provider === 'sqlite' ? 'ANALYZE' : 'ANALYZE "Ticket"');
    out(`  (created ${indexes.length} indexes in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    await measureLists(store, fx, 'WITH the indexes');

    // Over HTTP, through the real server (auth, zod, JSON).
    await store.close();
    store = undefined;
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, LOG_LEVEL: 'silent', DB_SEED_ON_START: 'false', TICKETS_SLA_WATCH_ENABLED: 'false' });
    const app = await startApp(config, { logger: createLogger('silent') });
    try {
      const services = await openStore(database.url, { poolSize: 1 });
      const lead = await new AgentService(services.db).create({ name: 'bench lead', role: 'supervisor' });
      const agentRow = await new AgentService(services.db).create({ name: 'bench agent', role: 'agent' });
      await services.close();
      const get = (token: string, query: string) => async () => {
        const res = await fetch(`${app.url}/api/tickets?${query}`, { headers: { authorization: `Bearer ${token}` } });
        if (res.status !== 200) throw new Error(`GET /api/tickets?${query}: ${res.status}`);
        await res.arrayBuffer();
      };
      out(`  over HTTP (GET /api/tickets, ms, ${RUNS} runs each):`);
      for (const [name, token, query] of [
        ['supervisor: overdue, by due, limit 50', lead.token, 'overdue=true&limit=50'],
        ['supervisor: category=complaint&status=OPEN', lead.token, 'category=complaint&status=OPEN'],
        ["agent: own + unassigned, unsettled", agentRow.token, 'status=NEW,OPEN,PENDING_CUSTOMER,ESCALATED,REOPENED'],
      ] as const) {
        const t = await time(RUNS, get(token, query));
        out(`    ${name.padEnd(55)} p50 ${t.p50.toFixed(2).padStart(7)}  p95 ${t.p95.toFixed(2).padStart(7)}`);
      }
    } finally {
      await app.stop();
    }
  } finally {
    await store?.close();
    await database.drop();
  }
}

async function main(): Promise<void> {
  out(`tickets bench: ${TICKETS} tickets bulk-loaded, ${OPENS} opened through the service (node ${process.version})`);
  for (const provider of PROVIDERS.filter((p) => !args.only || p === args.only)) await benchProvider(provider);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
