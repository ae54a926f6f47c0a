import type { SqlQueryable } from '@prisma/driver-adapter-utils';
import { sqlQuery, type SqliteConnection } from './sqliteConnection';
import {
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

/** The format Prisma's SQLite adapter writes and reads DateTime columns in. */
function sqliteTime(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

function messagesInsert(rows: MessageRow[]) {
  return sqlQuery(
    `INSERT INTO "Message" (${MESSAGE_COLUMNS}) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
     ON CONFLICT ("conversationId", "inboundKey") DO NOTHING`,
    rows.flatMap((r) => [
      r.id, r.conversationId, r.customerId, r.direction, r.senderType, r.senderId, r.activityType, r.activityId, r.inboundKey, r.replyToId, r.text,
      jsonOrNull(r.attachments), jsonOrNull(r.channelData), r.locale, sqliteTime(r.timestamp), sqliteTime(r.createdAt),
    ]),
  );
}

function stateRows(result: { rows: unknown[][] }): StateRow[] {
  return result.rows.map(([key, data, etag]) => ({ key: String(key), data: String(data), etag: Number(etag) }));
}

/**
 * The turn's statements on SQLite, on the one connection Prisma uses too (sqliteConnection.ts). They
 * are microseconds each (a commit appends to the WAL; with synchronous=NORMAL nothing waits for the disk).
 */
export class SqliteTurnStore implements TurnStore {
  constructor(private readonly connection: SqliteConnection) {}

  private readStateOn(sql: SqlQueryable, keys: string[]): Promise<StateRow[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return sql
      .queryRaw(sqlQuery(`SELECT "key", "data", "etag" FROM "BotState" WHERE "key" IN (${keys.map(() => '?').join(', ')})`, keys))
      .then(stateRows);
  }

  /** The inbound activity is stored even when the reads fail (the turn then reads the usual way, and fails there). */
  async beginTurn(inbound: MessageRow, stateKey: string | null): Promise<TurnStart> {
    const inserted = (await this.connection.executeRaw(messagesInsert([inbound]))) === 1;
    const state = stateKey === null ? undefined : await this.readState([stateKey]).then((rows) => rows[0] ?? null, () => undefined);
    const conversation = await this.conversationNow(inbound.conversationId).catch(() => undefined);
    return { inserted, state, conversation };
  }

  private async conversationNow(conversationId: string): Promise<ConversationNow | undefined> {
    const { rows } = await this.connection.queryRaw(sqlQuery(conversationNowSql('c."id" = ?'), [conversationId]));
    const [row] = rows;
    if (!row) return undefined;
    const [, customerId, locale, externalId, status, agentId, queue] = row.map((v) => (v === null ? null : String(v)));
    return conversationNow({ customerId, locale, externalId, status: status ?? 'BOT', agentId, queue });
  }

  async finishTurn(end: TurnEnd): Promise<void> {
    await this.connection.transaction(async (sql) => {
      if (end.state) await sql.executeRaw(sqlQuery(stateUpsertSql('VALUES (?, ?, 1, ?)'), [end.state.key, end.state.data, sqliteTime(end.at)]));
      if (end.replies.length) await sql.executeRaw(messagesInsert(end.replies));
      await sql.executeRaw(
        sqlQuery(`UPDATE "Conversation" SET "lastActivityAt" = ?, "locale" = COALESCE(?, "locale") WHERE "id" = ?`, [sqliteTime(end.at), end.locale, end.conversationId]),
      );
    });
  }

  readState(keys: string[]): Promise<StateRow[]> {
    return this.readStateOn(this.connection, keys);
  }

  async upsertState(key: string, data: string, now: Date): Promise<void> {
    await this.connection.executeRaw(sqlQuery(stateUpsertSql('VALUES (?, ?, 1, ?)'), [key, data, sqliteTime(now)]));
  }

  async updateState(key: string, data: string, etag: number, now: Date): Promise<boolean> {
    const sql = 'UPDATE "BotState" SET "data" = ?, "etag" = "etag" + 1, "updatedAt" = ? WHERE "key" = ? AND "etag" = ?';
    return (await this.connection.executeRaw(sqlQuery(sql, [data, sqliteTime(now), key, etag]))) === 1;
  }

  async insertStateIfAbsent(key: string, data: string, now: Date): Promise<boolean> {
    const sql = 'INSERT INTO "BotState" ("key", "data", "etag", "updatedAt") VALUES (?, ?, 1, ?) ON CONFLICT ("key") DO NOTHING';
    return (await this.connection.executeRaw(sqlQuery(sql, [key, data, sqliteTime(now)]))) === 1;
  }

  async deleteState(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.connection.executeRaw(sqlQuery(`DELETE FROM "BotState" WHERE "key" IN (${keys.map(() => '?').join(', ')})`, keys));
  }

  async insertMessages(rows: MessageRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    return this.connection.executeRaw(messagesInsert(rows));
  }

  async close(): Promise<void> {
    // Every write has finished when its promise resolved: nothing is queued here.
  }
}
