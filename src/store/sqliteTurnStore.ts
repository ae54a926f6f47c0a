import { GroupCommit } from './groupCommit';
import type { SqliteDriver } from './sqliteDriver';
import {
  ANSWERED_SQL,
  MESSAGE_COLUMNS,
  conversationNow,
  conversationNowSql,
  jsonOrNull,
  stateUpsertSql,
  type ConversationNow,
  type MessageRow,
  type StateRow,
  type TurnEnd,
  type TurnStart,
  type TurnStore,
} from './turnStore';

/** The format Prisma writes and reads SQLite DateTime columns in. */
function sqliteTime(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

const ROW = `(${Array.from({ length: 16 }, () => '?').join(', ')})`;
const MESSAGE_INSERT = `INSERT INTO "Message" (${MESSAGE_COLUMNS}) VALUES ${ROW} ON CONFLICT ("conversationId", "inboundKey") DO NOTHING`;
const STATE_READ = 'SELECT "key", "data", "etag" FROM "BotState" WHERE "key" = ?';
const STATE_UPSERT = stateUpsertSql('VALUES (?, ?, 1, ?)');
const STATE_UPDATE = 'UPDATE "BotState" SET "data" = ?, "etag" = "etag" + 1, "updatedAt" = ? WHERE "key" = ? AND "etag" = ?';
const STATE_INSERT = 'INSERT INTO "BotState" ("key", "data", "etag", "updatedAt") VALUES (?, ?, 1, ?) ON CONFLICT ("key") DO NOTHING';
const STATE_DELETE = 'DELETE FROM "BotState" WHERE "key" = ?';
const TOUCH = 'UPDATE "Conversation" SET "lastActivityAt" = ?, "locale" = COALESCE(?, "locale") WHERE "id" = ?';
const CONVERSATION_NOW = conversationNowSql('c."id" = ?');

function messageArgs(r: MessageRow): unknown[] {
  return [
    r.id, r.conversationId, r.customerId, r.direction, r.senderType, r.senderId, r.activityType, r.activityId, r.inboundKey, r.replyToId, r.text,
    jsonOrNull(r.attachments), jsonOrNull(r.channelData), r.locale, sqliteTime(r.timestamp), sqliteTime(r.createdAt),
  ];
}

/**
 * The turn's statements on SQLite, on the one connection Prisma uses too (sqliteDriver.ts), each
 * prepared once. They take microseconds: a commit appends to the WAL, and with synchronous=NORMAL
 * nothing waits for the disk.
 */
export class SqliteTurnStore implements TurnStore {
  /** The turns' starts and ends: several turns' writes share one commit under load (groupCommit.ts). */
  private readonly group: GroupCommit;

  constructor(private readonly driver: SqliteDriver) {
    const run = (sql: string) => () => void driver.prepare(sql).run();
    this.group = new GroupCommit((work) => driver.transaction(work), {
      begin: run('SAVEPOINT turn'),
      release: run('RELEASE turn'),
      rollback: () => (run('ROLLBACK TO turn')(), run('RELEASE turn')()),
      inTransaction: () => driver.db.inTransaction,
    });
  }

  private insertMessages_(rows: MessageRow[]): number {
    const stmt = this.driver.prepare(MESSAGE_INSERT);
    let inserted = 0;
    for (const row of rows) inserted += stmt.run(...messageArgs(row)).changes;
    return inserted;
  }

  private readState_(keys: string[]): StateRow[] {
    const stmt = this.driver.prepare(STATE_READ).raw(true);
    return keys.flatMap((key) => {
      const row = stmt.get(key) as [string, string, bigint] | undefined;
      return row ? [{ key: row[0], data: row[1], etag: Number(row[2]) }] : [];
    });
  }

  private conversationNow_(conversationId: string): ConversationNow | undefined {
    const row = this.driver.prepare(CONVERSATION_NOW).raw(true).get(conversationId) as unknown[] | undefined;
    if (!row) return undefined;
    const [, customerId, locale, externalId, verifiedUntil, status, agentId, queue, surveyOpen, ticketWaiting, careSent] = row as [
      unknown, string | null, string | null, string | null, string | null, string | null, string | null, string | null, bigint, bigint, bigint,
    ];
    return conversationNow({ customerId, locale, externalId, verifiedUntil, status: status ?? 'BOT', agentId, queue, surveyOpen, ticketWaiting, careSent });
  }

  /** The inbound activity is stored even when the reads fail (the turn then reads the usual way, and fails there). */
  beginTurn(inbound: MessageRow, stateKey: string | null): Promise<TurnStart> {
    return this.group.submit(() => {
      const inserted = this.insertMessages_([inbound]) === 1;
      let state: StateRow | null | undefined;
      try {
        state = stateKey === null ? undefined : (this.readState_([stateKey])[0] ?? null);
      } catch {
        state = undefined;
      }
      let conversation: ConversationNow | undefined;
      try {
        conversation = this.conversationNow_(inbound.conversationId);
      } catch {
        conversation = undefined;
      }
      return { inserted, state, conversation };
    }, { atomic: false });
  }

  async finishTurn(end: TurnEnd): Promise<void> {
    await this.group.submit(() => {
      if (end.state) this.driver.prepare(STATE_UPSERT).run(end.state.key, end.state.data, sqliteTime(end.at));
      this.insertMessages_(end.replies);
      this.driver.prepare(TOUCH).run(sqliteTime(end.at), end.locale, end.conversationId);
    }, { atomic: true });
  }

  readState(keys: string[]): Promise<StateRow[]> {
    return this.driver.run(() => this.readState_(keys));
  }

  async upsertState(key: string, data: string, now: Date): Promise<void> {
    await this.driver.run(() => this.driver.prepare(STATE_UPSERT).run(key, data, sqliteTime(now)));
  }

  updateState(key: string, data: string, etag: number, now: Date): Promise<boolean> {
    return this.driver.run(() => this.driver.prepare(STATE_UPDATE).run(data, sqliteTime(now), key, etag).changes === 1);
  }

  insertStateIfAbsent(key: string, data: string, now: Date): Promise<boolean> {
    return this.driver.run(() => this.driver.prepare(STATE_INSERT).run(key, data, sqliteTime(now)).changes === 1);
  }

  async deleteState(keys: string[]): Promise<void> {
    await this.driver.run(() => {
      const stmt = this.driver.prepare(STATE_DELETE);
      for (const key of keys) stmt.run(key);
    });
  }

  insertMessages(rows: MessageRow[]): Promise<number> {
    return this.driver.run(() => this.insertMessages_(rows));
  }

  answered(conversationId: string, activityId: string): Promise<boolean> {
    return this.driver.run(() => this.driver.prepare(ANSWERED_SQL).get(conversationId, activityId) !== undefined);
  }

  /** Waits for the turns' queued writes to be committed. */
  close(): Promise<void> {
    return this.group.drained();
  }
}
