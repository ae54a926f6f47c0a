/**
 * The statements every turn runs: store the customer's activity and read the conversation's state
 * item (the turn's start), store the replies, the state item and the conversation's last-activity
 * time in one transaction (the turn's end), plus the state reads and writes botbuilder's Storage
 * makes. They run on the database driver's own interface, not through Prisma's query compiler
 * (which costs 0.4-1.4 ms of CPU per statement; bench:turns in the README), each database in its
 * own way: sqliteTurnStore.ts, pgTurnStore.ts. Everything else uses Prisma.
 */
export interface StateRow {
  key: string;
  data: string;
  etag: number;
}

/** A transcript row (table Message). */
export interface MessageRow {
  id: string;
  conversationId: string;
  customerId: string;
  direction: 'INBOUND' | 'OUTBOUND';
  /** Who sent it: the customer (inbound), the bot, an agent, or the system (notices). */
  senderType: 'customer' | 'bot' | 'agent' | 'system';
  senderId: string | null;
  activityType: string;
  activityId: string | null;
  /** Set on inbound rows only: a channel's retry of the same activity hits the unique (conversationId, inboundKey). */
  inboundKey: string | null;
  replyToId: string | null;
  text: string | null;
  attachments: unknown;
  channelData: unknown;
  locale: string | null;
  timestamp: Date;
  createdAt: Date;
}

/** The conversation and its customer as they are now (another instance may have changed them). */
export interface ConversationNow {
  customerId: string | null;
  customerLocale: string | null;
  /** The customer is linked to a shop account (Customer.externalId). */
  verified: boolean;
  /** Until when that link counts (Conversation.verifiedUntil; null: no limit). See isVerifiedAt(). */
  verifiedUntil: Date | null;
  status: 'BOT' | 'QUEUED' | 'AGENT' | 'CLOSED';
  agentId: string | null;
  queue: string | null;
  /** A survey sent in this conversation still waits for an answer (SurveyAnswering reads it only then). */
  surveyOpen: boolean;
  /** A ticket opened in this conversation waits for the customer's answer (PENDING_CUSTOMER). */
  ticketWaiting: boolean;
  /** A care message was sent in this conversation (CareReplies reads which one, and when, only then). */
  careSent: boolean;
}

/** The start of a turn, as stored: `inserted` false for a channel's retry of an activity already stored. */
export interface TurnStart {
  inserted: boolean;
  /** The state item: null when none is stored; undefined when it was not asked for or could not be read (the turn reads it the usual way). */
  state: StateRow | null | undefined;
  /** Undefined when the conversation could not be read (the turn goes on with what the caller knew). */
  conversation: ConversationNow | undefined;
}

/** The end of a turn: its replies, its conversation's last activity, and the state item it wrote, if any. */
export interface TurnEnd {
  replies: MessageRow[];
  conversationId: string;
  at: Date;
  /** The conversation's language after the turn (null: unchanged). */
  locale: string | null;
  state?: { key: string; data: string };
}

export interface TurnStore {
  /**
   * Stores the inbound activity (once per activity id) and reads the conversation as it is now and
   * the state item `stateKey` (null: not needed), in one round trip where the database allows.
   */
  beginTurn(inbound: MessageRow, stateKey: string | null): Promise<TurnStart>;
  /** The turn's writes, in one transaction: all of them or none. */
  finishTurn(end: TurnEnd): Promise<void>;
  readState(keys: string[]): Promise<StateRow[]>;
  /** Insert, or replace whatever is stored (eTag "*"). */
  upsertState(key: string, data: string, now: Date): Promise<void>;
  /** Replace only if the stored etag is `etag`; returns whether a row changed. */
  updateState(key: string, data: string, etag: number, now: Date): Promise<boolean>;
  /** Insert if absent; returns whether a row was inserted. */
  insertStateIfAbsent(key: string, data: string, now: Date): Promise<boolean>;
  deleteState(keys: string[]): Promise<void>;
  /** Inserts transcript rows; inbound rows already stored (same conversation and inboundKey) are skipped. Returns the rows inserted. */
  insertMessages(rows: MessageRow[]): Promise<number>;
  /** Whether a reply to the activity `activityId` of the conversation is stored (its turn finished). */
  answered(conversationId: string, activityId: string): Promise<boolean>;
  /** Waits for writes already accepted (the store closes its connection after this). */
  close(): Promise<void>;
}

/** answered(): a stored reply to an activity (`?` placeholders; PostgreSQL numbers them). */
export const ANSWERED_SQL = `SELECT 1 FROM "Message" WHERE "conversationId" = ? AND "direction" = 'OUTBOUND' AND "replyToId" = ? LIMIT 1`;

export const MESSAGE_COLUMNS =
  '"id", "conversationId", "customerId", "direction", "senderType", "senderId", "activityType", "activityId", "inboundKey", "replyToId", "text", "attachments", "channelData", "locale", "timestamp", "createdAt"';

/**
 * Insert or replace state items (eTag "*"): the same SQL on both databases. `rows` gives the
 * ("key", "data", "etag", "updatedAt") rows: a VALUES list or a SELECT.
 */
export function stateUpsertSql(rows: string): string {
  return `INSERT INTO "BotState" ("key", "data", "etag", "updatedAt") ${rows}
    ON CONFLICT ("key") DO UPDATE SET "data" = excluded."data", "etag" = "BotState"."etag" + 1, "updatedAt" = excluded."updatedAt"`;
}

export function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** The columns the turn's start reads of a conversation and its customer. */
export interface ConversationNowRow {
  customerId: string | null;
  locale: string | null;
  externalId: string | null;
  /** SQLite gives the stored text, PostgreSQL (through json_build_object) UTC wall time without a zone. */
  verifiedUntil: string | Date | null;
  status: string;
  agentId: string | null;
  queue: string | null;
  /** SQLite gives 0 / 1 (a bigint), PostgreSQL a boolean. */
  surveyOpen: boolean | number | bigint | null;
  ticketWaiting: boolean | number | bigint | null;
  careSent: boolean | number | bigint | null;
}

export function conversationNow(row: ConversationNowRow): ConversationNow {
  return {
    customerId: row.customerId,
    customerLocale: row.locale,
    verified: row.externalId !== null,
    verifiedUntil: storedTime(row.verifiedUntil),
    status: row.status as ConversationNow['status'],
    agentId: row.agentId,
    queue: row.queue,
    surveyOpen: Boolean(row.surveyOpen),
    ticketWaiting: Boolean(row.ticketWaiting),
    careSent: Boolean(row.careSent),
  };
}

/** The conversation-and-customer read of a turn's start; `where` picks the conversations. */
export function conversationNowSql(where: string): string {
  return `SELECT c."id", c."customerId", cu."locale", cu."externalId", c."verifiedUntil", c."status", c."agentId", c."queue",
      EXISTS (SELECT 1 FROM "Survey" s WHERE s."conversationId" = c."id" AND s."status" IN ('SENT', 'ANSWERED') AND s."stage" <> 'done') AS "surveyOpen",
      EXISTS (SELECT 1 FROM "Ticket" t WHERE t."customerId" = c."customerId" AND t."conversationId" = c."id" AND t."status" = 'PENDING_CUSTOMER') AS "ticketWaiting",
      EXISTS (SELECT 1 FROM "CareMessage" m WHERE m."conversationId" = c."id" AND m."status" = 'SENT') AS "careSent"
    FROM "Conversation" c LEFT JOIN "Customer" cu ON cu."id" = c."customerId" WHERE ${where}`;
}

/** A DateTime column read past Prisma: a zone-less text is UTC (Prisma stores UTC wall time on both databases). */
export function storedTime(value: string | Date | null): Date | null {
  if (value === null || value instanceof Date) return value;
  const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
  const at = new Date(zoned);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * Whether a conversation's customer counts as signed in with the shop at `now`: linked to a shop account,
 * and within the verification's lifetime when it has one (a web chat sign-in: see Conversation.verifiedUntil).
 */
export function isVerifiedAt(link: { verified: boolean; verifiedUntil: Date | null }, now: Date): boolean {
  return link.verified && (link.verifiedUntil === null || link.verifiedUntil.getTime() > now.getTime());
}
