import type { Activity } from 'botbuilder';
import type { HotStore, MessageInsert } from '../store/hotStore';
import { timeOrderedId } from '../store/ids';

export interface TranscriptContext {
  conversationId: string;
  customerId: string;
}

function messageRow(
  ctx: TranscriptContext,
  direction: 'INBOUND' | 'OUTBOUND',
  activity: Partial<Activity>,
  activityId: string | undefined,
): MessageInsert {
  const timestamp = activity.timestamp ? new Date(activity.timestamp) : new Date();
  return {
    id: timeOrderedId(),
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
 * Writes the transcript (table Message). It runs twice on every turn, so it goes through the
 * store's hot path: one insert for the inbound activity, one multi-row insert and one update after.
 */
export class TranscriptService {
  constructor(private readonly store: HotStore) {}

  /**
   * Stores an inbound activity. Returns false when the same activity (same channel activity id)
   * was already stored: a channel retry, which must not be answered twice.
   */
  async recordInbound(ctx: TranscriptContext, activity: Partial<Activity>): Promise<boolean> {
    const inserted = await this.store.insertMessages([messageRow(ctx, 'INBOUND', activity, activity.id)]);
    return inserted === 1 || !activity.id;
  }

  /** Stores the replies of one turn and touches the conversation's last-activity time, in one transaction. */
  async recordOutbound(ctx: TranscriptContext, sent: { activity: Partial<Activity>; id?: string }[], locale?: string): Promise<void> {
    const now = new Date();
    const rows = sent.map((s) => messageRow(ctx, 'OUTBOUND', { ...s.activity, timestamp: s.activity.timestamp ?? now }, s.id));
    await this.store.recordReplies(rows, ctx.conversationId, now, locale ?? null);
  }
}
