import type { Database, Statement } from 'better-sqlite3';
import {
  ColumnTypeEnum,
  DriverAdapterError,
  type ArgType,
  type ColumnType,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import { LRUCache } from 'lru-cache';

/**
 * SQLite with one connection for everything: Prisma's queries and transactions (this class is the
 * driver adapter Prisma runs on, through its public SqlDriverAdapter interface) and the statements
 * every turn runs (sqliteTurnStore.ts). One writer means no "database is locked" between Kefu's own
 * writes and nothing to coordinate; prepared statements are kept (a statement's text repeats: Prisma's
 * queries are parameterized), where Prisma's own better-sqlite3 adapter prepares every query anew
 * (measured: preparing was the largest single cost of a turn's statements). The value conversions
 * follow @prisma/adapter-better-sqlite3's, which the whole test suite runs against.
 *
 * A connection has one transaction at a time, and a statement run while a transaction is open would
 * become part of it. So the connection is handed out in turns: a transaction has it from BEGIN to
 * COMMIT / ROLLBACK, and a statement outside a transaction waits until no transaction is open (a
 * statement itself never waits: better-sqlite3 runs it synchronously). Transactions begin IMMEDIATE,
 * taking the write lock at once (another process, such as `npm run db:seed`, may write to the file
 * too; busy_timeout covers those rare waits).
 *
 * Inside a Prisma interactive transaction, use its `tx` client only: a query through the outer
 * client would wait for the transaction that is waiting for it (until the transaction's timeout).
 */
export class SqliteDriver implements SqlDriverAdapter {
  readonly provider = 'sqlite' as const;
  readonly adapterName = 'kefu-better-sqlite3';
  private readonly statements = new LRUCache<string, Statement>({ max: 1000 });
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly db: Database) {
    // As Prisma's adapter: integers come back as bigint (exact), then as text to Prisma.
    db.defaultSafeIntegers(true);
  }

  /** The statement for this SQL, prepared once. */
  prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Waits for the connection, then holds it until the returned release() is called. */
  private acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return ready;
  }

  private async alone<T>(work: () => T): Promise<T> {
    const release = await this.acquire();
    try {
      return work();
    } finally {
      release();
    }
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.alone(() => this.query(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.alone(() => this.execute(query));
  }

  executeScript(script: string): Promise<void> {
    return this.alone(() => guarded(() => void this.db.exec(script)));
  }

  private query(query: SqlQuery): SqlResultSet {
    return guarded(() => {
      const stmt = this.prepare(query.sql);
      const args = query.args.map((arg, i) => toSqlite(arg, query.argTypes[i]));
      if (!stmt.reader) {
        stmt.run(...args);
        return { columnNames: [], columnTypes: [], rows: [] };
      }
      const columns = stmt.columns();
      const rows = stmt.raw(true).all(...args) as unknown[][];
      const columnTypes = columnTypesOf(columns.map((c) => c.type), rows);
      return { columnNames: columns.map((c) => c.name), columnTypes, rows: rows.map((row) => fromSqlite(row, columnTypes)) };
    });
  }

  private execute(query: SqlQuery): number {
    return guarded(() => this.prepare(query.sql).run(...query.args.map((arg, i) => toSqlite(arg, query.argTypes[i]))).changes);
  }

  /** Prisma's transactions: the connection is theirs from BEGIN IMMEDIATE until Prisma's COMMIT or ROLLBACK. */
  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== 'SERIALIZABLE') throw new DriverAdapterError({ kind: 'InvalidIsolationLevel', level: isolationLevel });
    const release = await this.acquire();
    try {
      guarded(() => this.db.exec('BEGIN IMMEDIATE'));
    } catch (err) {
      release();
      throw err;
    }
    let ended = false;
    const end = async () => {
      if (ended) return;
      ended = true;
      // Prisma has sent COMMIT or ROLLBACK; should that have failed, the transaction must not outlive
      // its turn on the connection (the next statements would silently join it).
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      release();
    };
    return {
      provider: this.provider,
      adapterName: this.adapterName,
      // Prisma sends COMMIT / ROLLBACK itself, then calls commit() / rollback().
      options: { usePhantomQuery: false },
      queryRaw: async (query) => this.query(query),
      executeRaw: async (query) => this.execute(query),
      commit: end,
      rollback: end,
    };
  }

  /** Kefu's own transactions (a turn's writes): `work` runs alone on the connection, committed or rolled back as a whole. */
  transaction<T>(work: () => T): Promise<T> {
    return this.alone(() => {
      guarded(() => this.prepare('BEGIN IMMEDIATE').run());
      try {
        const result = work();
        this.prepare('COMMIT').run();
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.prepare('ROLLBACK').run();
        throw err;
      }
    });
  }

  /** Runs `work` (synchronous statements) alone on the connection, outside any transaction. */
  run<T>(work: () => T): Promise<T> {
    return this.alone(work);
  }

  getConnectionInfo() {
    return { supportsRelationJoins: false };
  }

  async dispose(): Promise<void> {
    await this.alone(() => this.db.close());
  }
}

/** Prisma's adapter factory for a driver (Prisma connects once; Kefu keeps the same driver for its own statements). */
export function sqliteAdapterFactory(driver: SqliteDriver): SqlDriverAdapterFactory {
  return { provider: 'sqlite', adapterName: driver.adapterName, connect: async () => driver };
}

/** A better-sqlite3 error as Prisma's driver error (unique / not-null / foreign-key violations, busy...), anything else as it is. */
function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown };
    if (typeof e?.code !== 'string' || typeof e.message !== 'string') throw err;
    const mapped = mapError(e.code, e.message);
    if (!mapped) throw err;
    throw new DriverAdapterError({ ...mapped, originalCode: e.code, originalMessage: e.message });
  }
}

type MappedError = ConstructorParameters<typeof DriverAdapterError>[0];

function mapError(code: string, message: string): MappedError | undefined {
  const fields = () => message.split('constraint failed: ').at(1)?.split(', ').map((f) => f.split('.').pop() ?? f);
  switch (code) {
    case 'SQLITE_BUSY':
      return { kind: 'SocketTimeout' };
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY': {
      const f = fields();
      return { kind: 'UniqueConstraintViolation', constraint: f ? { fields: f } : undefined };
    }
    case 'SQLITE_CONSTRAINT_NOTNULL': {
      const f = fields();
      return { kind: 'NullConstraintViolation', constraint: f ? { fields: f } : undefined };
    }
    case 'SQLITE_CONSTRAINT_TRIGGER':
      // A trigger's own RAISE (the audit log's append-only guard) keeps its message.
      if (!/foreign key/i.test(message)) return { kind: 'sqlite', extendedCode: 1811, message };
      return { kind: 'ForeignKeyConstraintViolation', constraint: { foreignKey: {} } };
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return { kind: 'ForeignKeyConstraintViolation', constraint: { foreignKey: {} } };
    default:
      if (message.startsWith('no such table')) return { kind: 'TableDoesNotExist', table: message.split(': ').at(1) };
      if (message.startsWith('no such column')) return { kind: 'ColumnNotFound', column: message.split(': ').at(1) };
      if (message.includes('has no column named ')) return { kind: 'ColumnNotFound', column: message.split('has no column named ').at(1) };
      return undefined;
  }
}

/** A query argument as SQLite stores it (dates as ISO text with +00:00, booleans as 0 / 1, as Prisma's adapter does). */
function toSqlite(arg: unknown, type: ArgType | undefined): unknown {
  if (arg === null || arg === undefined) return null;
  const scalar = type?.scalarType;
  if (typeof arg === 'string') {
    if (scalar === 'int') return Number.parseInt(arg, 10);
    if (scalar === 'float' || scalar === 'decimal') return Number.parseFloat(arg);
    if (scalar === 'bigint') return BigInt(arg);
    if (scalar === 'datetime') return new Date(arg).toISOString().replace('Z', '+00:00');
    if (scalar === 'bytes') return Buffer.from(arg, 'base64');
    return arg;
  }
  if (typeof arg === 'boolean') return arg ? 1 : 0;
  if (arg instanceof Date) return arg.toISOString().replace('Z', '+00:00');
  if (Array.isArray(arg) && scalar === 'bytes') return Buffer.from(arg as number[]);
  return arg;
}

/** Column types from the declared types, or (expressions, no declared type) from the first value that is not null. */
function columnTypesOf(declared: (string | null)[], rows: unknown[][]): ColumnType[] {
  return declared.map((d, i) => {
    const fromDeclared = declaredType(d);
    if (fromDeclared !== null) return fromDeclared;
    const value = rows.find((r) => r[i] !== null)?.[i];
    switch (typeof value) {
      case 'undefined':
        return ColumnTypeEnum.Int32;
      case 'string':
        return ColumnTypeEnum.Text;
      case 'bigint':
        return ColumnTypeEnum.Int64;
      case 'boolean':
        return ColumnTypeEnum.Boolean;
      case 'number':
        return ColumnTypeEnum.UnknownNumber;
      default:
        if (value instanceof ArrayBuffer || Buffer.isBuffer(value)) return ColumnTypeEnum.Bytes;
        throw new DriverAdapterError({ kind: 'GenericJs', id: 0 });
    }
  });
}

const DECLARED: Record<string, ColumnType> = {
  DECIMAL: ColumnTypeEnum.Numeric,
  FLOAT: ColumnTypeEnum.Float,
  DOUBLE: ColumnTypeEnum.Double,
  'DOUBLE PRECISION': ColumnTypeEnum.Double,
  NUMERIC: ColumnTypeEnum.Double,
  REAL: ColumnTypeEnum.Double,
  TINYINT: ColumnTypeEnum.Int32,
  SMALLINT: ColumnTypeEnum.Int32,
  MEDIUMINT: ColumnTypeEnum.Int32,
  INT: ColumnTypeEnum.Int32,
  INTEGER: ColumnTypeEnum.Int32,
  SERIAL: ColumnTypeEnum.Int32,
  INT2: ColumnTypeEnum.Int32,
  BIGINT: ColumnTypeEnum.Int64,
  'UNSIGNED BIG INT': ColumnTypeEnum.Int64,
  INT8: ColumnTypeEnum.Int64,
  DATETIME: ColumnTypeEnum.DateTime,
  TIMESTAMP: ColumnTypeEnum.DateTime,
  TIME: ColumnTypeEnum.Time,
  DATE: ColumnTypeEnum.Date,
  TEXT: ColumnTypeEnum.Text,
  CLOB: ColumnTypeEnum.Text,
  CHARACTER: ColumnTypeEnum.Text,
  VARCHAR: ColumnTypeEnum.Text,
  'VARYING CHARACTER': ColumnTypeEnum.Text,
  NCHAR: ColumnTypeEnum.Text,
  'NATIVE CHARACTER': ColumnTypeEnum.Text,
  NVARCHAR: ColumnTypeEnum.Text,
  BLOB: ColumnTypeEnum.Bytes,
  BOOLEAN: ColumnTypeEnum.Boolean,
  JSONB: ColumnTypeEnum.Json,
};

function declaredType(declared: string | null): ColumnType | null {
  if (!declared) return null;
  return DECLARED[declared.toUpperCase()] ?? null;
}

/** A row as Prisma reads it: bytes as arrays, exact integers as text, numeric dates as ISO text. */
function fromSqlite(row: unknown[], types: ColumnType[]): unknown[] {
  return row.map((value, i) => {
    if (value instanceof ArrayBuffer || Buffer.isBuffer(value)) return Array.from(new Uint8Array(value as ArrayBuffer));
    const type = types[i];
    if (typeof value === 'number' && (type === ColumnTypeEnum.Int32 || type === ColumnTypeEnum.Int64) && !Number.isInteger(value)) return Math.trunc(value);
    if ((typeof value === 'number' || typeof value === 'bigint') && type === ColumnTypeEnum.DateTime) return new Date(Number(value)).toISOString();
    if (typeof value === 'bigint') return value.toString();
    return value;
  });
}
