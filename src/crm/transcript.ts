import type { Activity } from 'botbuilder';
import type { Db } from '../store/db';
import { isUniqueViolation } from '../store/errors';
import { toJson } from '../store/json';
import type { Prisma } from '../../generated/sqlite/client';

export interface TranscriptContext {
  conversationId: string;
  customerId: string;
}

function messageRow(
  ctx: TranscriptContext,
  direction: 'INBOUND' | 'OUTBOUND',
  activity: Partial<Activity>,
  activityId: string | undefined,
): Prisma.MessageCreateManyInput {
  const timestamp = activity.timestamp ? new Date(activity.timestamp) : new Date();
  return {
    conversationId: ctx.conversationId,
    customerId: ctx.customerId,
    direction,
    activityType: activity.type ?? 'unknown',
    activityId: activityId ?? null,
    inboundKey: direction === 'INBOUND' ? (activityId ?? null) : null,
    replyToId: activity.replyToId ?? null,
    text: activity.text ?? null,
    attachments: activity.attachments?.length ? toJson(activity.attachments) : undefined,
    channelData: activity.channelData ? toJson(activity.channelData) : undefined,
    locale: activity.locale ?? null,
    timestamp: Number.isNaN(timestamp.getTime()) ? new Date() : timestamp,
  };
}

/** Writes the transcript (table Message). */
export class TranscriptService {
  constructor(private readonly db: Db) {}

  /**
   * Stores an inbound activity. Returns false when the same activity (same channel activity id)
   * was already stored: a channel retry, which must not be answered twice.
   */
  async recordInbound(ctx: TranscriptContext, activity: Partial<Activity>): Promise<boolean> {
    try {
      await this.db.message.create({ data: messageRow(ctx, 'INBOUND', activity, activity.id) as Prisma.MessageUncheckedCreateInput });
      return true;
    } catch (err) {
      if (isUniqueViolation(err) && activity.id) return false;
      throw err;
    }
  }

  /** Stores the replies of one turn in one batch and touches the conversation's last-activity time. */
  async recordOutbound(ctx: TranscriptContext, sent: { activity: Partial<Activity>; id?: string }[], locale?: string): Promise<void> {
    const now = new Date();
    const conversationUpdate = this.db.conversation.update({
      where: { id: ctx.conversationId },
      data: { lastActivityAt: now, ...(locale ? { locale } : {}) },
    });
    if (sent.length === 0) {
      await conversationUpdate;
      return;
    }
    await this.db.$transaction([
      this.db.message.createMany({ data: sent.map((s) => messageRow(ctx, 'OUTBOUND', { ...s.activity, timestamp: s.activity.timestamp ?? now }, s.id)) }),
      conversationUpdate,
    ]);
  }
}
