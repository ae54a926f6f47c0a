import fs from 'node:fs';
import path from 'node:path';
import { PrismaClient as SqliteClient } from '../../generated/sqlite/client';
import { PrismaClient as PostgresClient } from '../../generated/postgres/client';
import { pgConnectionFields, providerOf, sqliteFilePath, type Provider } from './connection';
import { openHotStore, type HotStore } from './hotStore';

export type { Provider };

/**
 * The CRM store's client. Both generated clients have the same models; application code is typed
 * against the SQLite one and receives either (the only cast between providers is here).
 */
export type Db = SqliteClient;

export interface Store {
  db: Db;
  /** The per-turn statements (bot state, transcript) on the driver directly: see hotStore.ts. */
  hot: HotStore;
  provider: Provider;
  url: string;
  /** Round-trips to the store; throws when it is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Prisma's SQLite transactions begin DEFERRED: they take the write lock at their first write. One that
 * reads first (find the customer, then create it) fails with SQLITE_BUSY_SNAPSHOT ("database is
 * locked") when another connection commits in between, and the turn writer (sqliteWriter.ts)
 * commits every few milliseconds under load: new customers' first messages failed. BEGIN IMMEDIATE
 * takes the write lock when the transaction begins (waiting up to busy_timeout for the writer's
 * short transactions), so nothing can commit between its reads and its writes.
 */
function immediateTransactions<F extends { connect(): Promise<unknown> }>(factory: F): F {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const client = (adapter as unknown as { client: { prepare: (sql: string) => unknown } }).client;
    const prepare = client.prepare.bind(client);
    client.prepare = (sql: string) => prepare(sql === 'BEGIN' ? 'BEGIN IMMEDIATE' : sql);
    return adapter;
  };
  return factory;
}

/**
 * Interactive transactions wait for a connection up to maxWait. SQLite has one writer connection, so
 * under load (or on a busy CI machine) transactions queue: Prisma's default 2 s is too short.
 */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 };

export async function openStore(url: string, options: { poolSize?: number } = {}): Promise<Store> {
  const provider = providerOf(url);
  let db: Db;
  if (provider === 'sqlite') {
    const file = sqliteFilePath(url);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
    db = new SqliteClient({ adapter: immediateTransactions(new PrismaBetterSQLite3({ url: `file:${file}` })), transactionOptions: TRANSACTION_OPTIONS });
    // WAL lets readers (dashboards, readyz) run while a turn writes; NORMAL sync is safe with WAL.
    await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await db.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
    await db.$queryRawUnsafe('PRAGMA busy_timeout = 5000');
    await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  } else {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const adapter = new PrismaPg({ ...pgConnectionFields(url), max: options.poolSize ?? 10 });
    db = new PostgresClient({ adapter, transactionOptions: TRANSACTION_OPTIONS }) as unknown as Db;
  }
  await db.$connect();
  const hot = await openHotStore(url);
  // The hot store's worker checkpoints the WAL; Prisma's commits should not do it on the event loop either.
  if (provider === 'sqlite' && hot.backgroundCheckpoints) await db.$queryRawUnsafe('PRAGMA wal_autocheckpoint = 0');
  return {
    db,
    hot,
    provider,
    url,
    async ping() {
      await db.$queryRawUnsafe('SELECT 1');
    },
    async close() {
      await hot.close();
      await db.$disconnect();
    },
  };
}
