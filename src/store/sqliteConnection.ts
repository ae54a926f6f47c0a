import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlQueryable,
  SqlResultSet,
  Transaction,
} from '@prisma/driver-adapter-utils';

/**
 * SQLite with one connection for everything: Prisma's queries and transactions and the per-turn
 * statements (turnStore.ts) all run on the connection Prisma's better-sqlite3 adapter opens, through
 * the adapter's public interface. One writer means no "database is locked" between Kefu's own
 * writes, and no second connection to coordinate with.
 *
 * A connection has one transaction at a time, and a statement run while a transaction is open
 * would become part of it. So the connection is handed out in turns: a transaction has it from
 * BEGIN to COMMIT / ROLLBACK, and a statement outside a transaction waits until no transaction is
 * open (a statement itself never waits: better-sqlite3 runs it synchronously). Transactions begin
 * IMMEDIATE, taking the write lock at once (another process, such as `npm run db:seed`, may write
 * to the file too; busy_timeout covers those rare waits).
 *
 * Inside a Prisma interactive transaction, use its `tx` client only: a query through the outer
 * client would wait for the transaction that is waiting for it (until the transaction's timeout).
 */
export class SqliteConnection implements SqlDriverAdapter {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly driver: SqlDriverAdapter) {
    this.adapterName = driver.adapterName;
  }

  /** Waits for the connection, then holds it until the returned release() is called. */
  private acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return ready;
  }

  private async alone<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.alone(() => this.driver.queryRaw(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.alone(() => this.driver.executeRaw(query));
  }

  executeScript(script: string): Promise<void> {
    return this.alone(() => this.driver.executeScript(script));
  }

  /** Prisma's transactions: the connection is theirs from BEGIN IMMEDIATE until Prisma's COMMIT or ROLLBACK. */
  async startTransaction(_isolationLevel?: IsolationLevel): Promise<Transaction> {
    const release = await this.acquire();
    try {
      await this.driver.executeScript('BEGIN IMMEDIATE');
    } catch (err) {
      release();
      throw err;
    }
    const { driver } = this;
    let ended = false;
    const end = async () => {
      if (!ended) release();
      ended = true;
    };
    return {
      provider: this.provider,
      adapterName: this.adapterName,
      // Prisma sends COMMIT / ROLLBACK itself, then calls commit() / rollback().
      options: { usePhantomQuery: false },
      queryRaw: (query) => driver.queryRaw(query),
      executeRaw: (query) => driver.executeRaw(query),
      commit: end,
      rollback: end,
    };
  }

  /** Kefu's own transactions (the turn's writes): `work` runs alone on the connection, committed or rolled back as a whole. */
  async transaction<T>(work: (sql: SqlQueryable) => Promise<T>): Promise<T> {
    return this.alone(async () => {
      await this.driver.executeScript('BEGIN IMMEDIATE');
      try {
        const result = await work(this.driver);
        await this.driver.executeScript('COMMIT');
        return result;
      } catch (err) {
        await this.driver.executeScript('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  getConnectionInfo() {
    return this.driver.getConnectionInfo?.() ?? { supportsRelationJoins: false };
  }

  dispose(): Promise<void> {
    return this.alone(() => this.driver.dispose());
  }
}

/**
 * Prisma's adapter factory, wrapped: Prisma connects through it, and `connection` resolves with the
 * same connection for Kefu's own statements.
 */
export function oneConnectionFactory(inner: SqlDriverAdapterFactory): { factory: SqlDriverAdapterFactory; connection: Promise<SqliteConnection> } {
  let resolve!: (c: SqliteConnection) => void;
  const connection = new Promise<SqliteConnection>((r) => (resolve = r));
  const factory: SqlDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const c = new SqliteConnection(await inner.connect());
      resolve(c);
      return c;
    },
  };
  return { factory, connection };
}

/** Our statements' arguments are text, numbers or null: the adapter passes them through as they are. */
const UNKNOWN = { scalarType: 'unknown', arity: 'scalar' } as const;
export function sqlQuery(sql: string, args: unknown[]): SqlQuery {
  return { sql, args, argTypes: args.map(() => UNKNOWN) };
}
