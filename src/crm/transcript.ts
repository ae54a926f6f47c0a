import { CardFactory, type Activity } from 'botbuilder';
import { timeOrderedId } from '../store/ids';
import type { ConversationNow, MessageRow, StateRow, TurnStore } from '../store/turnStore';

/** Who sent a transcript message (what the bot sends in a turn: the bot, or a notice's system, or a relayed agent). */
export interface Sender {
  type: 'customer' | 'bot' | 'agent' | 'system';
  id: string | null;
}

export interface TranscriptContext {
  conversationId: string;
  customerId: string;
}

/** The text a message stands for: a details card's whole fallback text (src/bot/cards.ts), or the message's text. */
function messageText(activity: Partial<Activity>): string | undefined {
  const card = activity.attachments?.find((a) => a.contentType === CardFactory.contentTypes.adaptiveCard);
  const fallback = (card?.content as { fallbackText?: unknown } | undefined)?.fallbackText;
  return typeof fallback === 'string' ? fallback : activity.text;
}

function messageRow(ctx: TranscriptContext, direction: 'INBOUND' | 'OUTBOUND', activity: Partial<Activity>, activityId: string | undefined, sender: Sender): MessageRow {
  const timestamp = activity.timestamp ? new Date(activity.timestamp) : new Date();
  return {
    id: timeOrderedId(),
    conversationId: ctx.conversationId,
    customerId: ctx.customerId,
    direction,
    senderType: sender.type,
    senderId: sender.id,
    activityType: activity.type ?? 'unknown',
    activityId: activityId ?? null,
    inboundKey: direction === 'INBOUND' ? (activityId ?? null) : null,
    replyToId: activity.replyToId ?? null,
    text: (direction === 'OUTBOUND' ? messageText(activity) : activity.text) ?? null,
    attachments: activity.attachments?.length ? activity.attachments : null,
    channelData: activity.channelData ?? null,
    locale: activity.locale ?? null,
    timestamp: Number.isNaN(timestamp.getTime()) ? new Date() : timestamp,
    createdAt: new Date(),
  };
}

/** What was sent in a turn, with the id the channel gave it and who sent it. */
export interface SentActivity {
  activity: Partial<Activity>;
  id?: string;
  sender: Sender;
}

/**
 * Writes the transcript (table Message). It runs twice on every turn, so it goes through the turn
 * store (src/store/turnStore.ts): the inbound activity at the turn's start, the replies at its end.
 */
export class TranscriptService {
  constructor(private readonly store: TurnStore) {}

  /**
   * Stores the customer's activity and reads the conversation as it is now and (when `stateKey` is
   * given) its state item, in one round trip (TurnStore.beginTurn). `isNew` is false for a
   * channel's retry of an activity already stored, which must not be answered twice.
   */
  async recordInbound(
    ctx: TranscriptContext,
    activity: Partial<Activity>,
    stateKey: string | null,
  ): Promise<{ isNew: boolean; state: StateRow | null | undefined; conversation: ConversationNow | undefined }> {
    const row = messageRow(ctx, 'INBOUND', activity, activity.id, { type: 'customer', id: ctx.customerId });
    const { inserted, state, conversation } = await this.store.beginTurn(row, stateKey);
    return { isNew: inserted || !activity.id, state, conversation };
  }

  /** Whether the bot's reply to this activity is stored: its turn finished (see KefuTurnMiddleware on retries). */
  answered(conversationId: string, activityId: string): Promise<boolean> {
    return this.store.answered(conversationId, activityId);
  }

  /**
   * Stores the replies of one turn, touches the conversation's last-activity time and, if given,
   * writes the turn's state item, in one transaction.
   */
  async recordOutbound(ctx: TranscriptContext, sent: SentActivity[], locale?: string, state?: { key: string; data: string }): Promise<void> {
    const now = new Date();
    const replies = sent.map((s) => messageRow(ctx, 'OUTBOUND', { ...s.activity, timestamp: s.activity.timestamp ?? now }, s.id, s.sender));
    await this.store.finishTurn({ replies, conversationId: ctx.conversationId, at: now, locale: locale ?? null, state });
  }
}
