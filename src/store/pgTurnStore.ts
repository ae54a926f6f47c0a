import type { Pool } from 'pg';
import { Coalescer } from './coalescer';
import { asError, isPgServerError } from './errors';
import {
  ANSWERED_SQL,
  MESSAGE_COLUMNS,
  conversationNow,
  conversationNowSql,
  jsonOrNull,
  stateUpsertSql,
  type ConversationNow,
  type ConversationNowRow,
  type MessageRow,
  type StateRow,
  type TurnEnd,
  type TurnStart,
  type TurnStore,
} from './turnStore';

/** Timestamps as UTC wall time: Prisma's PostgreSQL DateTime columns are timestamp(3) without time zone. */
function pgTime(d: Date): string {
  return d.toISOString();
}

interface Begin {
  inbound: MessageRow;
  stateKey: string | null;
}

/**
 * One batch of turn starts and one of turn ends at the server at a time: a turn that finds its
 * kind's batch under way waits for it and goes out with the others that waited. Measured with 16
 * conversations (expectReplies): 4.4 turns per batch, 140 µs of server CPU per turn (324 without
 * batching); two batches in flight halved the batches and cost more CPU on both sides (README).
 */
const BATCHING = { maxInFlight: 1, maxBatch: 64 };

/**
 * Transcript rows as one array per column, for an INSERT ... SELECT FROM unnest(...): the statement's
 * text is the same for any number of rows, so the server parses and plans it once per connection.
 */
const MessageArrays = {
  params: 16,
  insertSql: `INSERT INTO "Message" (${MESSAGE_COLUMNS})
    SELECT r."id", r."conversationId", r."customerId", r."direction"::"MessageDirection", r."senderType"::"MessageSender", r."senderId",
           r."activityType", r."activityId", r."inboundKey", r."replyToId", r."text", r."attachments"::jsonb, r."channelData"::jsonb,
           r."locale", r."timestamp", r."createdAt"
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                $11::text[], $12::text[], $13::text[], $14::text[], $15::timestamp(3)[], $16::timestamp(3)[])
      AS r("id", "conversationId", "customerId", "direction", "senderType", "senderId", "activityType", "activityId", "inboundKey",
           "replyToId", "text", "attachments", "channelData", "locale", "timestamp", "createdAt")
    ON CONFLICT ("conversationId", "inboundKey") DO NOTHING`,
  of(rows: MessageRow[]): unknown[][] {
    const get: ((r: MessageRow) => unknown)[] = [
      (r) => r.id, (r) => r.conversationId, (r) => r.customerId, (r) => r.direction, (r) => r.senderType, (r) => r.senderId,
      (r) => r.activityType, (r) => r.activityId,
      (r) => r.inboundKey, (r) => r.replyToId, (r) => r.text, (r) => jsonOrNull(r.attachments), (r) => jsonOrNull(r.channelData),
      (r) => r.locale, (r) => pgTime(r.timestamp), (r) => pgTime(r.createdAt),
    ];
    return get.map((column) => rows.map(column));
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

/**
 * The turn's statements on PostgreSQL, on the pool Prisma uses too (named statements: each text is
 * parsed once per connection). Under load, turns share round trips and commits: the turn starts (and,
 * separately, the turn ends) that arrive while a batch is at the server go out together as the next
 * one, in one statement (see Coalescer). A batch the server refuses is retried turn by turn, so only
 * the bad turn fails.
 */
export class PgTurnStore implements TurnStore {
  private readonly begins = new Coalescer<Begin, TurnStart>((items) => this.beginBatch(items), BATCHING);
  private readonly finishes = new Coalescer<TurnEnd, void>((items) => this.finishBatch(items), BATCHING);

  constructor(private readonly pool: Pool) {}

  beginTurn(inbound: MessageRow, stateKey: string | null): Promise<TurnStart> {
    return this.begins.submit({ inbound, stateKey });
  }

  finishTurn(end: TurnEnd): Promise<void> {
    return this.finishes.submit(end);
  }

  async readState(keys: string[]): Promise<StateRow[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.pool.query<StateRow>({ name: 'kefu_state_read', text: 'SELECT "key", "data", "etag" FROM "BotState" WHERE "key" = ANY($1)', values: [keys] });
    return rows;
  }

  async upsertState(key: string, data: string, now: Date): Promise<void> {
    await this.pool.query({ name: 'kefu_state_upsert', text: stateUpsertSql('VALUES ($1, $2, 1, $3)'), values: [key, data, pgTime(now)] });
  }

  async updateState(key: string, data: string, etag: number, now: Date): Promise<boolean> {
    const res = await this.pool.query({
      name: 'kefu_state_update',
      text: 'UPDATE "BotState" SET "data" = $1, "etag" = "etag" + 1, "updatedAt" = $2 WHERE "key" = $3 AND "etag" = $4',
      values: [data, pgTime(now), key, etag],
    });
    return res.rowCount === 1;
  }

  async insertStateIfAbsent(key: string, data: string, now: Date): Promise<boolean> {
    const res = await this.pool.query({
      name: 'kefu_state_insert',
      text: 'INSERT INTO "BotState" ("key", "data", "etag", "updatedAt") VALUES ($1, $2, 1, $3) ON CONFLICT ("key") DO NOTHING',
      values: [key, data, pgTime(now)],
    });
    return res.rowCount === 1;
  }

  async deleteState(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.pool.query('DELETE FROM "BotState" WHERE "key" = ANY($1)', [keys]);
  }

  async answered(conversationId: string, activityId: string): Promise<boolean> {
    let n = 0;
    const text = ANSWERED_SQL.replace(/\?/g, () => `$${++n}`);
    const { rowCount } = await this.pool.query({ name: 'kefu_answered', text, values: [conversationId, activityId] });
    return (rowCount ?? 0) > 0;
  }

  async insertMessages(rows: MessageRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const res = await this.pool.query({ name: 'kefu_messages_insert', text: MessageArrays.insertSql, values: MessageArrays.of(rows) });
    return res.rowCount ?? 0;
  }

  /**
   * Turn starts that arrived together (or one alone), in one statement: every inbound row inserted
   * (a retried activity id is skipped; RETURNING says which rows went in), every state item and
   * every conversation (with its customer) read.
   */
  private async beginBatch(items: Begin[]): Promise<(TurnStart | Error)[]> {
    let rows: { kind: string; key: string; data: string | null; etag: number | null }[];
    const p = MessageArrays.params;
    try {
      ({ rows } = await this.pool.query({
        name: 'kefu_begin_turns',
        text: `WITH ins AS (${MessageArrays.insertSql} RETURNING "id")
               SELECT 'i' AS "kind", "id" AS "key", NULL AS "data", NULL::int AS "etag" FROM ins
               UNION ALL
               SELECT 's', "key", "data", "etag" FROM "BotState" WHERE "key" = ANY($${p + 1}::text[])
               UNION ALL
               SELECT 'c', n."id", json_build_object('customerId', n."customerId", 'locale', n."locale", 'externalId', n."externalId", 'verifiedUntil', n."verifiedUntil",
                             'status', n."status", 'agentId', n."agentId", 'queue', n."queue", 'surveyOpen', n."surveyOpen", 'ticketWaiting', n."ticketWaiting", 'careSent', n."careSent")::text, NULL
               FROM (${conversationNowSql(`c."id" = ANY($${p + 2}::text[])`)}) n`,
        values: [
          ...MessageArrays.of(items.map((i) => i.inbound)),
          items.flatMap((i) => (i.stateKey === null ? [] : [i.stateKey])),
          items.map((i) => i.inbound.conversationId),
        ],
      }));
    } catch (err) {
      // Nothing was written (one statement). A batch the server refused (a row it would not take) is
      // retried turn by turn, so only that turn fails; a lost connection fails them all.
      if (items.length > 1 && isPgServerError(err)) return (await Promise.all(items.map((i) => this.beginBatch([i])))).flat();
      if (items.length > 1) throw err;
      // One turn: store its activity on its own; the turn reads the usual way and reports that
      // failure, if it is one.
      return [await this.insertMessages([items[0].inbound]).then((n) => ({ inserted: n === 1, state: undefined, conversation: undefined }), asError)];
    }
    const inserted = new Set<string>();
    const states = new Map<string, StateRow>();
    const conversations = new Map<string, ConversationNow>();
    for (const r of rows) {
      if (r.kind === 'i') inserted.add(r.key);
      else if (r.kind === 's') states.set(r.key, { key: r.key, data: r.data ?? '{}', etag: Number(r.etag) });
      else conversations.set(r.key, conversationNow(JSON.parse(r.data ?? '{}') as ConversationNowRow));
    }
    return items.map((i) => ({
      inserted: inserted.has(i.inbound.id),
      state: i.stateKey === null ? undefined : (states.get(i.stateKey) ?? null),
      conversation: conversations.get(i.inbound.conversationId),
    }));
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
        ...MessageArrays.of(items.flatMap((i) => i.replies)),
        items.map((i) => i.conversationId),
        items.map((i) => pgTime(i.at)),
        items.map((i) => i.locale),
        ...(states.length ? [states.map((i) => i.state!.key), states.map((i) => i.state!.data), states.map((i) => pgTime(i.at))] : []),
      ],
    });
  }

  /** Turns already accepted are written before the pool closes. */
  async close(): Promise<void> {
    await Promise.all([this.begins.drained(), this.finishes.drained()]);
  }
}
