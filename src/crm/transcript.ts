import type { Activity } from 'botbuilder';
import type { MessageRow, StateRow, TurnStore } from '../store/turnStore';
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
): MessageRow {
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
 * Writes the transcript (table Message). It runs twice on every turn, so it goes through the turn
 * store (src/store/turnStore.ts): the inbound activity at the turn's start, the replies at its end.
 */
export class TranscriptService {
  constructor(private readonly store: TurnStore) {}

  /**
   * Stores an inbound activity. Returns false when the same activity (same channel activity id)
   * was already stored: a channel retry, which must not be answered twice.
   */
  async recordInbound(ctx: TranscriptContext, activity: Partial<Activity>): Promise<boolean> {
    const inserted = await this.store.insertMessages([messageRow(ctx, 'INBOUND', activity, activity.id)]);
    return inserted === 1 || !activity.id;
  }

  /**
   * recordInbound, reading the conversation's state item `stateKey` in the same round trip
   * (TurnStore.beginTurn). `isNew` is false for a channel's retry.
   */
  async recordInboundWithState(ctx: TranscriptContext, activity: Partial<Activity>, stateKey: string): Promise<{ isNew: boolean; state: StateRow | null | undefined }> {
    const { inserted, state } = await this.store.beginTurn(messageRow(ctx, 'INBOUND', activity, activity.id), stateKey);
    return { isNew: inserted || !activity.id, state };
  }

  /**
   * Stores the replies of one turn, touches the conversation's last-activity time and, if given,
   * writes the turn's state item, in one transaction.
   */
  async recordOutbound(
    ctx: TranscriptContext,
    sent: { activity: Partial<Activity>; id?: string }[],
    locale?: string,
    state?: { key: string; data: string },
  ): Promise<void> {
    const now = new Date();
    const replies = sent.map((s) => messageRow(ctx, 'OUTBOUND', { ...s.activity, timestamp: s.activity.timestamp ?? now }, s.id));
    await this.store.finishTurn({ replies, conversationId: ctx.conversationId, at: now, locale: locale ?? null, state });
  }
}
