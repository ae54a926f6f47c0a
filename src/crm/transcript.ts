import { randomUUID } from 'node:crypto';
import type { Activity } from 'botbuilder';
import { Prisma } from '../../generated/sqlite/client';
import type { Db, Provider } from '../store/db';
import { SqlDialect } from '../store/sql';

export interface TranscriptContext {
  conversationId: string;
  customerId: string;
}

interface MessageRow {
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

function messageRow(
  ctx: TranscriptContext,
  direction: 'INBOUND' | 'OUTBOUND',
  activity: Partial<Activity>,
  activityId: string | undefined,
): MessageRow {
  const timestamp = activity.timestamp ? new Date(activity.timestamp) : new Date();
  return {
    id: randomUUID(),
    conversationId: ctx.conversationId,
    customerId: ctx.customerId,
    direction,
    activityType: activity.type ?? 'unknown',
    activityId: activityId ?? null,
    inboundKey: direction === 'INBOUND' ? (activityId ?? null) : null,
    replyToId: activity.replyToId ?? null,
    text: activity.text ?? null,
    attachments: activity.attachments?.length ? activity.attachments : null,
    channelData: activity.channelData ?? null,
    locale: activity.locale ?? null,
    timestamp: Number.isNaN(timestamp.getTime()) ? new Date() : timestamp,
    createdAt: new Date(),
  };
}

/**
 * Writes the transcript (table Message). It runs twice on every turn, so it uses raw statements
 * (one insert for the inbound activity, one multi-row insert and one update after the turn).
 */
export class TranscriptService {
  private readonly sql: SqlDialect;

  constructor(
    private readonly db: Db,
    provider: Provider,
  ) {
    this.sql = new SqlDialect(provider);
  }

  private values(row: MessageRow): Prisma.Sql {
    return Prisma.sql`(${row.id}, ${row.conversationId}, ${row.customerId}, ${this.sql.enumValue(row.direction, 'MessageDirection')}, ${row.activityType},
      ${row.activityId}, ${row.inboundKey}, ${row.replyToId}, ${row.text}, ${this.sql.json(row.attachments)}, ${this.sql.json(row.channelData)},
      ${row.locale}, ${row.timestamp}, ${row.createdAt})`;
  }

  private static readonly COLUMNS = Prisma.raw(
    '"id", "conversationId", "customerId", "direction", "activityType", "activityId", "inboundKey", "replyToId", "text", "attachments", "channelData", "locale", "timestamp", "createdAt"',
  );

  /**
   * Stores an inbound activity. Returns false when the same activity (same channel activity id)
   * was already stored: a channel retry, which must not be answered twice.
   */
  async recordInbound(ctx: TranscriptContext, activity: Partial<Activity>): Promise<boolean> {
    const row = messageRow(ctx, 'INBOUND', activity, activity.id);
    const inserted = await this.db.$executeRaw`
      INSERT INTO "Message" (${TranscriptService.COLUMNS}) VALUES ${this.values(row)}
      ON CONFLICT ("conversationId", "inboundKey") DO NOTHING`;
    return inserted === 1 || !activity.id;
  }

  /** Stores the replies of one turn in one statement and touches the conversation's last-activity time. */
  async recordOutbound(ctx: TranscriptContext, sent: { activity: Partial<Activity>; id?: string }[], locale?: string): Promise<void> {
    const now = new Date();
    if (sent.length > 0) {
      const rows = sent.map((s) => messageRow(ctx, 'OUTBOUND', { ...s.activity, timestamp: s.activity.timestamp ?? now }, s.id));
      await this.db.$executeRaw`INSERT INTO "Message" (${TranscriptService.COLUMNS}) VALUES ${Prisma.join(rows.map((r) => this.values(r)))}`;
    }
    await this.db.$executeRaw`
      UPDATE "Conversation" SET "lastActivityAt" = ${now}, "locale" = COALESCE(${locale ?? null}, "locale") WHERE "id" = ${ctx.conversationId}`;
  }
}
