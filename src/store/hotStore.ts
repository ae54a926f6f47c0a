import type { Database as SqliteDatabase, Statement, Transaction } from 'better-sqlite3';
import type { Pool } from 'pg';
import { pgConnectionFields, providerOf, sqliteFilePath } from './db';
import { startCheckpointer, type Checkpointer } from './sqliteCheckpointer';
import { startSqliteWriter, type SqlStep, type SqliteWriter } from './sqliteWriter';

/** Insert or replace a state item (eTag "*"): the same SQL on both databases, with their parameter markers. */
function stateUpsertSql(key: string, data: string, at: string): string {
  return `INSERT INTO "BotState" ("key", "data", "etag", "updatedAt") VALUES (${key}, ${data}, 1, ${at})
    ON CONFLICT ("key") DO UPDATE SET "data" = excluded."data", "etag" = "BotState"."etag" + 1, "updatedAt" = excluded."updatedAt"`;
}

/** SQLite's default wal_autocheckpoint (pages). */
const DEFAULT_AUTOCHECKPOINT = 1000;

/**
 * The statements every turn runs (bot state read/write, transcript inserts, the conversation's
 * last-activity time), on the database driver directly. Through Prisma each statement costs
 * 0.4-1.4 ms of CPU (its request pipeline, and on SQLite a fresh prepared statement per call);
 * here a prepared better-sqlite3 statement costs tens of microseconds and a pg query a fraction of
 * a millisecond (bench:turns before/after in the README). On SQLite the writes run on a worker
 * thread and the WAL is checkpointed by another one, so the event loop does none of the disk work.
 * Everything else uses Prisma.
 */
export interface StateRow {
  key: string;
  data: string;
  etag: number;
}

export interface MessageInsert {
  id: string;
  conversationId: string;
  customerId: string;
  direction: 'INBOUND' | 'OUTBOUND';
  activityType: string;
  activityId: string | null;
  inboundKey: string | null;
  replyToId: string | null;
  text: string | null;
  attachments: unknown;
  channelData: unknown;
  locale: string | null;
  timestamp: Date;
  createdAt: Date;
}

export interface HotStore {
  readState(keys: string[]): Promise<StateRow[]>;
  /** Insert, or replace whatever is stored (eTag "*"). */
  upsertState(key: string, data: string, now: Date): Promise<void>;
  /** Replace only if the stored etag is `etag`; returns the rows changed (0 or 1). */
  updateState(key: string, data: string, etag: number, now: Date): Promise<number>;
  /** Insert if absent; returns the rows inserted (0 or 1). */
  insertStateIfAbsent(key: string, data: string, now: Date): Promise<number>;
  deleteState(keys: string[]): Promise<void>;
  /** Inserts transcript rows; inbound rows whose (conversationId, inboundKey) exists are skipped. Returns rows inserted. */
  insertMessages(rows: MessageInsert[]): Promise<number>;
  /**
   * A turn's start: stores the inbound activity (as insertMessages: `inserted` 0 for a channel's retry)
   * and reads the conversation's state item, in one round trip where the database allows it.
   * `state` is null when no item is stored, undefined when it could not be read (the turn reads it
   * the usual way, and fails there if it must): the inbound activity is stored either way.
   */
  beginTurn(inbound: MessageInsert, stateKey: string): Promise<{ inserted: number; state: StateRow | null | undefined }>;
  /**
   * A turn's end, in one transaction (one commit): the replies, the conversation's last-activity
   * time and, if given, the turn's state item (written as with eTag "*", as botbuilder saves it).
   */
  finishTurn(rows: MessageInsert[], conversationId: string, at: Date, locale: string | null, state?: { key: string; data: string }): Promise<void>;
  /** SQLite: true while a worker thread checkpoints the WAL, so connections keep automatic checkpoints off. */
  readonly backgroundCheckpoints?: boolean;
  /** SQLite: true while writes run on a worker thread's connection instead of the event loop's. */
  readonly backgroundWrites?: boolean;
  close(): Promise<void>;
}

const MESSAGE_COLUMNS =
  '"id", "conversationId", "customerId", "direction", "activityType", "activityId", "inboundKey", "replyToId", "text", "attachments", "channelData", "locale", "timestamp", "createdAt"';

function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export async function openHotStore(url: string): Promise<HotStore> {
  return providerOf(url) === 'sqlite' ? SqliteHotStore.open(url) : PgHotStore.open(url);
}

/**
 * SQLite: reads on a better-sqlite3 connection of the event loop (WAL: readers never wait, a prepared
 * read costs microseconds), writes on a worker thread's connection (sqliteWriter.ts), the WAL
 * checkpointed by another worker (sqliteCheckpointer.ts). If a worker cannot start or stops, its work
 * comes back to the event loop's connection; writes there never wait synchronously for a lock (that
 * would block the event loop while a Prisma transaction on another connection, which needs the event
 * loop to finish, holds it), they retry asynchronously instead.
 */
class SqliteHotStore implements HotStore {
  private readonly statements = new Map<string, Statement>();
  private readonly localTransaction: Transaction<(steps: SqlStep[]) => number[]>;
  private writer: SqliteWriter | undefined;
  private checkpointer: Checkpointer | undefined;

  private constructor(private readonly db: SqliteDatabase) {
    this.localTransaction = db.transaction((steps: SqlStep[]) => steps.map((s) => this.prepare(s.sql).run(...s.args).changes));
  }

  static async open(url: string): Promise<SqliteHotStore> {
    const file = sqliteFilePath(url);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 0');
    db.pragma('foreign_keys = ON');
    const store = new SqliteHotStore(db);
    try {
      store.checkpointer = await startCheckpointer(file, {
        onFailure: (err) => {
          // Back to SQLite's automatic checkpoints: slower turns, but a WAL that stays small.
          store.checkpointer = undefined;
          if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
          void store.writer?.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`).catch(() => undefined);
          process.emitWarning(`kefu: the SQLite checkpoint worker stopped (${String(err)}); automatic checkpoints are back on`);
        },
      });
      db.pragma('wal_autocheckpoint = 0');
    } catch (err) {
      process.emitWarning(`kefu: no SQLite checkpoint worker (${String(err)}); using automatic checkpoints`);
    }
    try {
      store.writer = await startSqliteWriter(file, {
        autocheckpoint: store.checkpointer ? 0 : DEFAULT_AUTOCHECKPOINT,
        onFailure: (err) => {
          store.writer = undefined;
          process.emitWarning(`kefu: the SQLite writer worker stopped (${String(err)}); writing on the event loop`);
        },
      });
    } catch (err) {
      process.emitWarning(`kefu: no SQLite writer worker (${String(err)}); writing on the event loop`);
    }
    return store;
  }

  /** True while a worker thread checkpoints the WAL (see sqliteCheckpointer.ts). */
  get backgroundCheckpoints(): boolean {
    return this.checkpointer !== undefined;
  }

  /** True while writes run on the writer worker (see sqliteWriter.ts). */
  get backgroundWrites(): boolean {
    return this.writer !== undefined;
  }

  private prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private static date(d: Date): string {
    // The format Prisma's SQLite adapter writes and reads.
    return d.toISOString().replace('Z', '+00:00');
  }

  /** One write statement: on the writer worker, or here (retrying while another connection holds the lock). */
  private async exec(step: SqlStep): Promise<number> {
    if (this.writer) return this.writer.run(step);
    return this.retryWhileBusy(() => this.prepare(step.sql).run(...step.args).changes);
  }

  /** Write statements in one transaction: on the writer worker, or here. */
  private async execTransaction(steps: SqlStep[]): Promise<number[]> {
    if (this.writer) return this.writer.transaction(steps);
    return this.retryWhileBusy(() => this.localTransaction.immediate(steps));
  }

  /** Retries a write while another connection holds the write lock (up to ~10 s). */
  private async retryWhileBusy<T>(fn: () => T): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return fn();
      } catch (err) {
        const code = (err as { code?: string }).code;
        if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') || attempt >= 2000) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.min(5, 1 + attempt)));
      }
    }
  }

  async readState(keys: string[]): Promise<StateRow[]> {
    if (keys.length === 0) return [];
    const rows = this.prepare(`SELECT "key", "data", "etag" FROM "BotState" WHERE "key" IN (${keys.map(() => '?').join(', ')})`).all(...keys) as StateRow[];
    return rows.map((r) => ({ key: r.key, data: r.data, etag: Number(r.etag) }));
  }

  private static stateUpsert(key: string, data: string, now: Date): SqlStep {
    return {
      sql: stateUpsertSql('?', '?', '?'),
      args: [key, data, SqliteHotStore.date(now)],
    };
  }

  async upsertState(key: string, data: string, now: Date): Promise<void> {
    await this.exec(SqliteHotStore.stateUpsert(key, data, now));
  }

  async updateState(key: string, data: string, etag: number, now: Date): Promise<number> {
    return this.exec({
      sql: `UPDATE "BotState" SET "data" = ?, "etag" = "etag" + 1, "updatedAt" = ? WHERE "key" = ? AND "etag" = ?`,
      args: [data, SqliteHotStore.date(now), key, etag],
    });
  }

  async insertStateIfAbsent(key: string, data: string, now: Date): Promise<number> {
    return this.exec({
      sql: `INSERT INTO "BotState" ("key", "data", "etag", "updatedAt") VALUES (?, ?, 1, ?) ON CONFLICT ("key") DO NOTHING`,
      args: [key, data, SqliteHotStore.date(now)],
    });
  }

  async deleteState(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.exec({ sql: `DELETE FROM "BotState" WHERE "key" IN (${keys.map(() => '?').join(', ')})`, args: keys });
  }

  async insertMessages(rows: MessageInsert[]): Promise<number> {
    if (rows.length === 0) return 0;
    return this.exec(SqliteHotStore.messagesInsert(rows));
  }

  private static messagesInsert(rows: MessageInsert[]): SqlStep {
    return {
      sql: `INSERT INTO "Message" (${MESSAGE_COLUMNS}) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT ("conversationId", "inboundKey") DO NOTHING`,
      args: rows.flatMap((r) => [
        r.id, r.conversationId, r.customerId, r.direction, r.activityType, r.activityId, r.inboundKey, r.replyToId, r.text,
        jsonOrNull(r.attachments), jsonOrNull(r.channelData), r.locale, SqliteHotStore.date(r.timestamp), SqliteHotStore.date(r.createdAt),
      ]),
    };
  }

  private static touch(conversationId: string, at: Date, locale: string | null): SqlStep {
    return {
      sql: `UPDATE "Conversation" SET "lastActivityAt" = ?, "locale" = COALESCE(?, "locale") WHERE "id" = ?`,
      args: [SqliteHotStore.date(at), locale, conversationId],
    };
  }

  async beginTurn(inbound: MessageInsert, stateKey: string): Promise<{ inserted: number; state: StateRow | null | undefined }> {
    // The insert goes to the writer while the read runs here: together, not one after the other.
    const [inserted, read] = await Promise.allSettled([this.exec(SqliteHotStore.messagesInsert([inbound])), this.readState([stateKey])]);
    if (inserted.status === 'rejected') throw inserted.reason;
    return { inserted: inserted.value, state: read.status === 'fulfilled' ? (read.value[0] ?? null) : undefined };
  }

  async finishTurn(rows: MessageInsert[], conversationId: string, at: Date, locale: string | null, state?: { key: string; data: string }): Promise<void> {
    const steps: SqlStep[] = [];
    if (state) steps.push(SqliteHotStore.stateUpsert(state.key, state.data, at));
    if (rows.length) steps.push(SqliteHotStore.messagesInsert(rows));
    steps.push(SqliteHotStore.touch(conversationId, at, locale));
    await this.execTransaction(steps);
  }

  async close(): Promise<void> {
    const { writer, checkpointer } = this;
    this.writer = undefined;
    this.checkpointer = undefined;
    await writer?.close();
    await checkpointer?.close(); // its last checkpoint copies the WAL into the database file
    this.db.close();
  }
}

/** Timestamps as UTC wall time: Prisma's PostgreSQL DateTime columns are timestamp(3) without time zone. */
function pgTime(d: Date): string {
  return d.toISOString();
}

/** PostgreSQL through a small pg pool of its own (named statements are prepared once per connection). */
class PgHotStore implements HotStore {
  private constructor(private readonly pool: Pool) {}

  static async open(url: string): Promise<PgHotStore> {
    const { Pool } = await import('pg');
    return new PgHotStore(new Pool({ ...pgConnectionFields(url), max: 10 }));
  }

  async readState(keys: string[]): Promise<StateRow[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.pool.query<StateRow>({ name: 'kefu_state_read', text: 'SELECT "key", "data", "etag" FROM "BotState" WHERE "key" = ANY($1)', values: [keys] });
    return rows;
  }

  async upsertState(key: string, data: string, now: Date): Promise<void> {
    await this.pool.query({
      name: 'kefu_state_upsert',
      text: stateUpsertSql('$1', '$2', '$3'),
      values: [key, data, pgTime(now)],
    });
  }

  async updateState(key: string, data: string, etag: number, now: Date): Promise<number> {
    const res = await this.pool.query({
      name: 'kefu_state_update',
      text: 'UPDATE "BotState" SET "data" = $1, "etag" = "etag" + 1, "updatedAt" = $2 WHERE "key" = $3 AND "etag" = $4',
      values: [data, pgTime(now), key, etag],
    });
    return res.rowCount ?? 0;
  }

  async insertStateIfAbsent(key: string, data: string, now: Date): Promise<number> {
    const res = await this.pool.query({
      name: 'kefu_state_insert',
      text: 'INSERT INTO "BotState" ("key", "data", "etag", "updatedAt") VALUES ($1, $2, 1, $3) ON CONFLICT ("key") DO NOTHING',
      values: [key, data, pgTime(now)],
    });
    return res.rowCount ?? 0;
  }

  async deleteState(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.pool.query('DELETE FROM "BotState" WHERE "key" = ANY($1)', [keys]);
  }

  /** The multi-row INSERT for rows, with its parameters starting at $1. */
  private static insertSql(rows: MessageInsert[], values: unknown[]): string {
    const tuples = rows.map((r) => {
      const base = values.length;
      values.push(
        r.id, r.conversationId, r.customerId, r.direction, r.activityType, r.activityId, r.inboundKey, r.replyToId, r.text,
        jsonOrNull(r.attachments), jsonOrNull(r.channelData), r.locale, pgTime(r.timestamp), pgTime(r.createdAt),
      );
      const p = (i: number) => `$${base + i}`;
      return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}::"MessageDirection", ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}::jsonb, ${p(11)}::jsonb, ${p(12)}, ${p(13)}, ${p(14)})`;
    });
    return `INSERT INTO "Message" (${MESSAGE_COLUMNS}) VALUES ${tuples.join(', ')} ON CONFLICT ("conversationId", "inboundKey") DO NOTHING`;
  }

  /**
   * A statement name for SQL whose text depends only on the row count (1-8 rows: nearly every turn),
   * so the server parses and plans it once per connection; larger batches go unnamed.
   */
  private static statementName(prefix: string, rows: number): string | undefined {
    return rows <= 8 ? `${prefix}_${rows}` : undefined;
  }

  async insertMessages(rows: MessageInsert[]): Promise<number> {
    if (rows.length === 0) return 0;
    const values: unknown[] = [];
    const text = PgHotStore.insertSql(rows, values);
    const res = await this.pool.query({ name: PgHotStore.statementName('kefu_messages_insert', rows.length), text, values });
    return res.rowCount ?? 0;
  }

  async beginTurn(inbound: MessageInsert, stateKey: string): Promise<{ inserted: number; state: StateRow | null | undefined }> {
    // One statement, one round trip: the insert as a data-modifying CTE next to the state read.
    const values: unknown[] = [];
    const insert = PgHotStore.insertSql([inbound], values);
    values.push(stateKey);
    try {
      const { rows } = await this.pool.query<{ inserted: number; key: string | null; data: string | null; etag: number | null }>({
        name: 'kefu_begin_turn',
        text: `WITH ins AS (${insert} RETURNING 1)
               SELECT (SELECT count(*) FROM ins)::int AS "inserted", s."key", s."data", s."etag"
               FROM (SELECT 1) AS one LEFT JOIN "BotState" s ON s."key" = $${values.length}`,
        values,
      });
      const row = rows[0];
      return { inserted: row?.inserted ?? 0, state: row?.key ? { key: row.key, data: row.data ?? '{}', etag: Number(row.etag) } : null };
    } catch {
      // The statement failed as a whole (nothing was written): store the activity on its own; the
      // turn reads its state the usual way and reports that failure, if it is one.
      return { inserted: await this.insertMessages([inbound]), state: undefined };
    }
  }

  async finishTurn(rows: MessageInsert[], conversationId: string, at: Date, locale: string | null, state?: { key: string; data: string }): Promise<void> {
    // One statement, one round trip, one commit: the state upsert and the inserts as data-modifying CTEs.
    const values: unknown[] = [];
    const ctes: string[] = [];
    if (rows.length) ctes.push(`ins AS (${PgHotStore.insertSql(rows, values)} RETURNING 1)`);
    if (state) {
      values.push(state.key, state.data, pgTime(at));
      const n = values.length;
      ctes.push(`st AS (${stateUpsertSql(`$${n - 2}`, `$${n - 1}`, `$${n}`)} RETURNING 1)`);
    }
    values.push(pgTime(at), locale, conversationId);
    const n = values.length;
    await this.pool.query({
      name: PgHotStore.statementName(`kefu_finish_turn_${state ? 's' : 'n'}`, rows.length),
      text: `${ctes.length ? `WITH ${ctes.join(', ')} ` : ''}UPDATE "Conversation" SET "lastActivityAt" = $${n - 2}, "locale" = COALESCE($${n - 1}, "locale") WHERE "id" = $${n}`,
      values,
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
