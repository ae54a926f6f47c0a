import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { PrismaClient as SqliteClient } from '../../generated/sqlite/client';
import { PrismaClient as PostgresClient } from '../../generated/postgres/client';
import { PgTurnStore } from './pgTurnStore';
import { oneConnectionFactory } from './sqliteConnection';
import { SqliteTurnStore } from './sqliteTurnStore';
import type { TurnStore } from './turnStore';

/**
 * The CRM store's client. Both generated clients have the same models; application code is typed
 * against the SQLite one and receives either (the only cast between providers is here).
 */
export type Db = SqliteClient;
export type Provider = 'sqlite' | 'postgresql';

export interface Store {
  db: Db;
  /** The statements every turn runs, on the same connection(s) as `db` (turnStore.ts). */
  turns: TurnStore;
  provider: Provider;
  url: string;
  /** Round-trips to the store; throws when it is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function providerOf(url: string): Provider {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error(`Unsupported DATABASE_URL scheme: ${url.split(':')[0]}:`);
}

/** Resolves file:./x.db relative to the working directory, as the SQLite CLI would. */
export function sqliteFilePath(url: string): string {
  const file = url.slice('file:'.length).split('?')[0];
  return path.resolve(file);
}

/** pg connection fields from a postgresql:// URL (fields, not connectionString: see NOTES on migrate). */
export function pgConnectionFields(url: string) {
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname || '127.0.0.1'),
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username || 'postgres'),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, '') || 'postgres'),
    ssl: u.searchParams.get('sslmode') === 'require' ? { rejectUnauthorized: false } : undefined,
  };
}

/**
 * Interactive transactions wait for the connection up to maxWait. SQLite has one connection, so
 * under load (or on a busy CI machine) transactions queue: Prisma's default 2 s is too short.
 */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 };

export interface StoreOptions {
  /** PostgreSQL: connections in the pool Prisma and the turn store share. */
  poolSize?: number;
  /** PostgreSQL: an idle connection that fails (a server restart, a failover) is reported here and replaced on next use. */
  onConnectionError?: (err: Error) => void;
}

export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  return providerOf(url) === 'sqlite' ? openSqlite(url) : openPostgres(url, options);
}

/** SQLite: one connection, shared by Prisma and the turn store (sqliteConnection.ts). */
async function openSqlite(url: string): Promise<Store> {
  const file = sqliteFilePath(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
  const { factory, connection } = oneConnectionFactory(new PrismaBetterSQLite3({ url: `file:${file}` }));
  const db = new SqliteClient({ adapter: factory, transactionOptions: TRANSACTION_OPTIONS });
  await db.$connect();
  // WAL: readers (another process, a backup) never wait for the writer; NORMAL sync is safe with WAL.
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  await db.$queryRawUnsafe('PRAGMA busy_timeout = 5000');
  await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  const turns = new SqliteTurnStore(await connection);
  return {
    db,
    turns,
    provider: 'sqlite',
    url,
    async ping() {
      await db.$queryRawUnsafe('SELECT 1');
    },
    async close() {
      await turns.close();
      await db.$disconnect();
    },
  };
}

/** PostgreSQL: one pool, shared by Prisma (its pg adapter takes the pool) and the turn store. */
async function openPostgres(url: string, options: StoreOptions): Promise<Store> {
  const [{ Pool }, { PrismaPg }] = await Promise.all([import('pg'), import('@prisma/adapter-pg')]);
  const pool: Pool = new Pool({ ...pgConnectionFields(url), max: options.poolSize ?? 10 });
  // Without a listener, an idle connection's error (server restart, failover) is thrown as an
  // uncaught 'error' event and ends the process; the pool drops the connection and opens a new one.
  pool.on('error', (err) => (options.onConnectionError ?? ((e) => process.emitWarning(`kefu: a PostgreSQL connection failed: ${e.message}`)))(err));
  const db = new PostgresClient({ adapter: new PrismaPg(pool), transactionOptions: TRANSACTION_OPTIONS }) as unknown as Db;
  await db.$connect();
  const turns = new PgTurnStore(pool);
  return {
    db,
    turns,
    provider: 'postgresql',
    url,
    async ping() {
      await db.$queryRawUnsafe('SELECT 1');
    },
    async close() {
      await turns.close();
      await db.$disconnect();
      await pool.end();
    },
  };
}
