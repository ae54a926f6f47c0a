import type { Pool } from 'pg';
import { PrismaClient as SqliteClient } from '../../generated/sqlite/client';
import { PrismaClient as PostgresClient } from '../../generated/postgres/client';
import { FieldCipher } from './fieldCrypto';
import { withSealedFields } from './sealedFields';
import { SealedTurnStore } from './sealedTurnStore';
import { pgConnectionFields, preparePrivateSqliteFile, providerOf, sqliteFilePath, type Provider } from './connection';
import { PgTurnStore } from './pgTurnStore';
import { SqliteCheckpointer } from './sqliteCheckpointer';
import { SqliteDriver, sqliteAdapterFactory } from './sqliteDriver';
import { SqliteTurnStore } from './sqliteTurnStore';
import type { TurnStore } from './turnStore';

export type { Provider };

/**
 * The CRM store's client. Both generated clients have the same models; application code is typed
 * against the SQLite one and receives either (the only cast between providers is here).
 */
export type Db = SqliteClient;

export interface Store {
  db: Db;
  /** The statements every turn runs, on the same connection(s) as `db` (turnStore.ts). */
  turns: TurnStore;
  provider: Provider;
  url: string;
  /** Seals and opens personal data (the store's `db` does it by itself; the turn's raw statements use it). */
  cipher: FieldCipher;
  /** PostgreSQL: the pool Prisma and the turn store share, for the few statements of a library of ours (the shared rate limits). */
  pool?: Pool;
  /** SQLite: the worker that checkpoints the WAL (sqliteCheckpointer.ts). */
  checkpointer?: SqliteCheckpointer;
  /** Round-trips to the store; throws when it is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
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
  /** The key ring personal data is sealed with; default: the development keys (src/store/fieldCrypto.ts). */
  cipher?: FieldCipher;
}

export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  return providerOf(url) === 'sqlite' ? openSqlite(url, options) : openPostgres(url, options);
}

/** SQLite: one connection, shared by Prisma and the turn store (sqliteDriver.ts). */
async function openSqlite(url: string, options: StoreOptions): Promise<Store> {
  const file = sqliteFilePath(url);
  preparePrivateSqliteFile(file);
  const { default: Database } = await import('better-sqlite3');
  const connection = new Database(file);
  // WAL: readers (another process, a backup) never wait for the writer; NORMAL sync is safe with WAL.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('foreign_keys = ON');
  // Deleted and overwritten rows are zeroed in the file, so a purged or re-sealed value leaves no copy behind.
  connection.pragma('secure_delete = ON');
  // The planner's statistics (sqlite_stat1), as SQLite advises for long-lived connections: gathered at open
  // for the tables that lack them or have grown (then daily by the checkpoint worker); analysis_limit
  // bounds each index's sample (0.3 s on a 460 MB store). Without them SQLite sorts a year's tickets to
  // group the dashboard's counts instead of skipping through the (category, owner) index (bench:dashboard).
  connection.pragma('analysis_limit = 400');
  connection.pragma('optimize = 0x10002');
  // WAL checkpoints run in a worker thread, not in the turn's commits (sqliteCheckpointer.ts).
  const checkpointer = new SqliteCheckpointer(connection, {
    file,
    onFailure: (err) => process.emitWarning(`kefu: WAL checkpoints are back on the main thread: ${err.message}`),
  });
  const driver = new SqliteDriver(connection);
  const client = new SqliteClient({ adapter: sqliteAdapterFactory(driver), transactionOptions: TRANSACTION_OPTIONS });
  const release = async () => {
    await checkpointer.stop();
    if (connection.open) connection.close();
  };
  return { ...(await sealedStore({ provider: 'sqlite', url, client, turns: new SqliteTurnStore(driver), options, release })), checkpointer };
}

/** The store over a connected client and turn store: personal data sealed in both, closed in order (turns, client, connection). */
async function sealedStore(parts: { provider: Provider; url: string; client: Db; turns: TurnStore; options: StoreOptions; release: () => Promise<void>; pool?: Pool }): Promise<Store> {
  const { client, options } = parts;
  await client.$connect();
  const cipher = options.cipher ?? new FieldCipher();
  const db = withSealedFields(client, cipher);
  const turns = new SealedTurnStore(parts.turns, cipher);
  return {
    db,
    turns,
    provider: parts.provider,
    url: parts.url,
    cipher,
    ...(parts.pool ? { pool: parts.pool } : {}),
    async ping() {
      await db.$queryRawUnsafe('SELECT 1');
    },
    async close() {
      await turns.close();
      await client.$disconnect();
      await parts.release();
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
  const client = new PostgresClient({ adapter: new PrismaPg(pool), transactionOptions: TRANSACTION_OPTIONS }) as unknown as Db;
  return sealedStore({ provider: 'postgresql', url, client, turns: new PgTurnStore(pool), options, release: () => pool.end(), pool });
}
