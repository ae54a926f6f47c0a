import type { Database as SqliteDatabase, Statement, Transaction } from 'better-sqlite3';
import type { Pool } from 'pg';
import { pgConnectionFields, providerOf, sqliteFilePath } from './connection';
import { Coalescer } from './coalescer';
import { asError, isPgServerError } from './errors';
import { startCheckpointer, type Checkpointer } from './sqliteCheckpointer';
import { startSqliteWriter, type SqlStep, type SqliteWriter } from './sqliteWriter';

/**
 * Insert or replace state items (eTag "*"): the same SQL on both databases. `rows` gives the
 * ("key", "data", "etag", "updatedAt") rows: a VALUES list or a SELECT.
 */
function stateUpsertSql(rows: string): string {
  return `INSERT INTO "BotState" ("key", "data", "etag", "updatedAt") ${rows}
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
 * Under load, turns share round trips and commits: on PostgreSQL the turn starts (and the turn ends)
 * that arrive while one batch is at the server go out together as one statement; on SQLite the
 * writes that queue while the worker is busy go to it in one message and one transaction (see
 * Coalescer). Everything else uses Prisma.
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
      sql: stateUpsertSql('VALUES (?, ?, 1, ?)'),
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

/** A turn's start (HotStore.beginTurn) and end (HotStore.finishTurn), as the PostgreSQL store batches them. */
interface TurnStart {
  inbound: MessageInsert;
  stateKey: string;
}
type TurnBegun = { inserted: number; state: StateRow | null | undefined };
interface TurnEnd {
  rows: MessageInsert[];
  conversationId: string;
  at: Date;
  locale: string | null;
  state?: { key: string; data: string };
}

/**
 * One batch of turn starts and one of turn ends at the server at a time: a turn that finds its
 * kind's batch under way waits for it and goes out with the others that waited. Measured with 16
 * conversations (expectReplies): 4.4 turns per batch, 140 µs of server CPU per turn (324 without
 * batching); two batches in flight halved the batches and cost more CPU on both sides (README).
 */
const PG_BATCHING = { maxInFlight: 1, maxBatch: 64 };

/**
 * Transcript rows as one array per column, for an INSERT ... SELECT FROM unnest(...): the statement's
 * text is the same for any number of rows, so the server parses and plans it once per connection.
 */
const MessageArrays = {
  params: 14,
  insertSql: `INSERT INTO "Message" (${MESSAGE_COLUMNS})
    SELECT r."id", r."conversationId", r."customerId", r."direction"::"MessageDirection", r."activityType", r."activityId", r."inboundKey",
           r."replyToId", r."text", r."attachments"::jsonb, r."channelData"::jsonb, r."locale", r."timestamp", r."createdAt"
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                $11::text[], $12::text[], $13::timestamp(3)[], $14::timestamp(3)[])
      AS r("id", "conversationId", "customerId", "direction", "activityType", "activityId", "inboundKey", "replyToId", "text",
           "attachments", "channelData", "locale", "timestamp", "createdAt")
    ON CONFLICT ("conversationId", "inboundKey") DO NOTHING`,
  of(rows: MessageInsert[]): unknown[][] {
    const columns: unknown[][] = Array.from({ length: 14 }, () => new Array<unknown>(rows.length));
    rows.forEach((r, i) => {
      columns[0][i] = r.id;
      columns[1][i] = r.conversationId;
      columns[2][i] = r.customerId;
      columns[3][i] = r.direction;
      columns[4][i] = r.activityType;
      columns[5][i] = r.activityId;
      columns[6][i] = r.inboundKey;
      columns[7][i] = r.replyToId;
      columns[8][i] = r.text;
      columns[9][i] = jsonOrNull(r.attachments);
      columns[10][i] = jsonOrNull(r.channelData);
      columns[11][i] = r.locale;
      columns[12][i] = pgTime(r.timestamp);
      columns[13][i] = pgTime(r.createdAt);
    });
    return columns;
  },
};

/** Splits items, in order, into runs in which no key comes twice. */
function distinctGroups<T>(items: T[], keysOf: (item: T) => string[]): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let seen = new Set<string>();
  for (const item of items) {
    const keys = keysOf(item);
    if (keys.some((k) => seen.has(k))) {
      groups.push(current);
      current = [];
      seen = new Set();
    }
    current.push(item);
    for (const k of keys) seen.add(k);
  }
  if (current.length) groups.push(current);
  return groups;
}

/** PostgreSQL through a small pg pool of its own (named statements, each with one text, prepared once per connection). */
class PgHotStore implements HotStore {
  /** Turn starts and ends coalesce while the pool is busy (see Coalescer, and PG_BATCHING below). */
  private readonly begins = new Coalescer<TurnStart, TurnBegun>((items) => this.beginBatch(items), PG_BATCHING);
  private readonly finishes = new Coalescer<TurnEnd, void>((items) => this.finishBatch(items), PG_BATCHING);

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
      text: stateUpsertSql('VALUES ($1, $2, 1, $3)'),
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

  async insertMessages(rows: MessageInsert[]): Promise<number> {
    if (rows.length === 0) return 0;
    const res = await this.pool.query({ name: 'kefu_messages_insert', text: MessageArrays.insertSql, values: MessageArrays.of(rows) });
    return res.rowCount ?? 0;
  }

  beginTurn(inbound: MessageInsert, stateKey: string): Promise<{ inserted: number; state: StateRow | null | undefined }> {
    return this.begins.submit({ inbound, stateKey });
  }

  finishTurn(rows: MessageInsert[], conversationId: string, at: Date, locale: string | null, state?: { key: string; data: string }): Promise<void> {
    return this.finishes.submit({ rows, conversationId, at, locale, state });
  }

  /**
   * Turn starts that arrived together (or one alone), in one statement: every inbound row inserted
   * (a retried activity id is skipped; RETURNING says which rows went in) and every state item read.
   */
  private async beginBatch(items: TurnStart[]): Promise<(TurnBegun | Error)[]> {
    let rows: { kind: string; key: string; data: string | null; etag: number | null }[];
    try {
      ({ rows } = await this.pool.query({
        name: 'kefu_begin_turns',
        text: `WITH ins AS (${MessageArrays.insertSql} RETURNING "id")
               SELECT 'i' AS "kind", "id" AS "key", NULL AS "data", NULL::int AS "etag" FROM ins
               UNION ALL
               SELECT 's', "key", "data", "etag" FROM "BotState" WHERE "key" = ANY($${MessageArrays.params + 1}::text[])`,
        values: [...MessageArrays.of(items.map((i) => i.inbound)), items.map((i) => i.stateKey)],
      }));
    } catch (err) {
      // Nothing was written (one statement). A batch the server refused (a row it would not take) is
      // retried turn by turn, so only that turn fails; a lost connection fails them all.
      if (items.length > 1 && isPgServerError(err)) return (await Promise.all(items.map((i) => this.beginBatch([i])))).flat();
      if (items.length > 1) throw err;
      // One turn: store its activity on its own; the turn reads its state the usual way and reports
      // that failure, if it is one.
      return [await this.insertMessages([items[0].inbound]).then((inserted) => ({ inserted, state: undefined }), asError)];
    }
    const inserted = new Set<string>();
    const states = new Map<string, StateRow>();
    for (const r of rows) {
      if (r.kind === 'i') inserted.add(r.key);
      else states.set(r.key, { key: r.key, data: r.data ?? '{}', etag: Number(r.etag) });
    }
    return items.map((i) => ({ inserted: inserted.has(i.inbound.id) ? 1 : 0, state: states.get(i.stateKey) ?? null }));
  }

  /**
   * Turn ends that arrived together (or one alone), in one statement and one commit: all their
   * replies, their state items and their conversations' last-activity times. A state key or
   * conversation that comes twice (two turns of one conversation) goes into a second statement.
   */
  private async finishBatch(items: TurnEnd[]): Promise<(void | Error)[]> {
    const answers: (void | Error)[] = [];
    for (const group of distinctGroups(items, (i) => [`c:${i.conversationId}`, ...(i.state ? [`s:${i.state.key}`] : [])])) {
      try {
        await this.finishGroup(group);
        answers.push(...group.map(() => undefined));
      } catch (err) {
        // As in beginBatch: the statement wrote nothing. Refused by the server: turn by turn, so only
        // the bad turn fails; a lost connection: the group's turns fail.
        if (isPgServerError(err) && group.length > 1) {
          for (const item of group) answers.push(await this.finishGroup([item]).catch(asError));
        } else {
          answers.push(...group.map(() => asError(err)));
        }
      }
    }
    return answers;
  }

  private async finishGroup(items: TurnEnd[]): Promise<void> {
    const states = items.filter((i) => i.state);
    const p = MessageArrays.params;
    // Without state items the statement does not touch BotState: replies are stored even when the
    // state table is what failed.
    const st = states.length
      ? `, st AS (${stateUpsertSql(`SELECT s."key", s."data", 1, s."at" FROM unnest($${p + 4}::text[], $${p + 5}::text[], $${p + 6}::timestamp(3)[]) AS s("key", "data", "at")`)} RETURNING 1)`
      : '';
    await this.pool.query({
      name: states.length ? 'kefu_finish_turns_s' : 'kefu_finish_turns',
      text: `WITH ins AS (${MessageArrays.insertSql} RETURNING 1)${st}
             UPDATE "Conversation" c SET "lastActivityAt" = v."at", "locale" = COALESCE(v."locale", c."locale")
             FROM unnest($${p + 1}::text[], $${p + 2}::timestamp(3)[], $${p + 3}::text[]) AS v("id", "at", "locale")
             WHERE c."id" = v."id"`,
      values: [
        ...MessageArrays.of(items.flatMap((i) => i.rows)),
        items.map((i) => i.conversationId),
        items.map((i) => pgTime(i.at)),
        items.map((i) => i.locale),
        ...(states.length ? [states.map((i) => i.state!.key), states.map((i) => i.state!.data), states.map((i) => pgTime(i.at))] : []),
      ],
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.begins.drained(), this.finishes.drained()]); // turns already accepted are written first
    await this.pool.end();
  }
}
