import type { ConversationReference, TurnContext } from 'botbuilder';
import type { Locale } from '../config/locales';
import { normalizeLocale } from '../i18n/i18n';
import type { Logger } from '../logger';
import type { Db, Provider } from '../store/db';
import type { Sender } from '../crm/transcript';
import { setTurnSender, turnInfoOrUndefined } from './turnState';

/** What a proactive turn knows about whom it is talking to. */
export interface ProactiveTurn {
  conversationId: string;
  customerId: string | null;
  /** The customer's saved language, else the conversation's, else DEFAULT_LOCALE. */
  locale: Locale;
}

/** The adapter call proactive messages need (CloudAdapter has it). */
export interface ContinuingAdapter {
  continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

export class ProactiveSendError extends Error {
  constructor(
    readonly conversationId: string,
    cause: unknown,
  ) {
    super(`Proactive message to conversation ${conversationId} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ProactiveSendError';
  }
}

/**
 * Messages a customer outside of their own turn (ticket updates, handoff, surveys), in the
 * conversation whose ConversationReference the foundation stored, in the customer's language.
 * The turn runs through the adapter's middleware, so the transcript records what is sent (the
 * ContinueConversation event itself is not stored as inbound).
 */
export class ProactiveMessenger {
  private readonly defaultLocale: Locale;

  constructor(
    private readonly adapter: ContinuingAdapter,
    private readonly botAppId: string,
    private readonly db: Db,
    private readonly logger: Logger,
    options: { defaultLocale?: Locale; provider?: Provider } = {},
  ) {
    this.defaultLocale = options.defaultLocale ?? 'zh-CN';
    this.provider = options.provider ?? 'sqlite';
  }

  private readonly provider: Provider;

  /**
   * Whether the conversation's transcript already has a message sent for this event (its
   * channelData.kefuEventId): an event delivered again after a crash is not sent twice.
   */
  async sentForEvent(conversationId: string, eventId: string): Promise<boolean> {
    const sql =
      this.provider === 'postgresql'
        ? `SELECT 1 AS "found" FROM "Message" WHERE "conversationId" = $1 AND "direction" = 'OUTBOUND' AND "channelData"->>'kefuEventId' = $2 LIMIT 1`
        : `SELECT 1 AS "found" FROM "Message" WHERE "conversationId" = ? AND "direction" = 'OUTBOUND' AND json_extract("channelData", '$.kefuEventId') = ? LIMIT 1`;
    const rows = await this.db.$queryRawUnsafe<unknown[]>(sql, conversationId, eventId);
    return rows.length > 0;
  }

  /**
   * Tells a customer what an event caused, once: in their latest conversation and its language, as a
   * system message marked with the event's id, so an event delivered again (after a crash, a retry)
   * finds it and sends nothing. `text` runs only when the message is really sent. Returns 'sent', or
   * why not: the customer has no conversation, it was sent before, or the conversation cannot be
   * reached; throws ProactiveSendError when the channel failed (the event is then retried).
   */
  async tellCustomerOnce(customerId: string, eventId: string, text: (locale: Locale) => string | Promise<string>): Promise<'sent' | 'no_conversation' | 'already_sent' | 'unreachable'> {
    const conversation = await this.db.conversation.findFirst({ where: { customerId }, orderBy: { lastActivityAt: 'desc' }, select: { id: true } });
    if (!conversation) return 'no_conversation';
    if (await this.sentForEvent(conversation.id, eventId)) return 'already_sent';
    const sent = await this.send(
      conversation.id,
      async (context, turn) => {
        await context.sendActivity({ type: 'message', text: await text(turn.locale), channelData: { kefuEventId: eventId } });
      },
      { type: 'system', id: null },
    );
    return sent ? 'sent' : 'unreachable';
  }

  /**
   * Runs `build` in a proactive turn of the conversation (Conversation.id). Returns false when the
   * conversation is unknown or has no usable reference; throws ProactiveSendError when sending failed.
   * A failure inside `build` is caught here rather than in the turn, so the turn error handler does
   * not apologise into the conversation or clear the customer's dialog state.
   */
  async send(conversationId: string, build: (context: TurnContext, turn: ProactiveTurn) => Promise<void>, sender: Sender = { type: 'bot', id: null }): Promise<boolean> {
    const conversation = await this.db.conversation.findUnique({
      where: { id: conversationId },
      select: { id: true, reference: true, locale: true, customerId: true, customer: { select: { locale: true } } },
    });
    const reference = conversation?.reference as Partial<ConversationReference> | null | undefined;
    if (!conversation || !reference?.conversation?.id || !reference.serviceUrl) {
      this.logger.warn({ conversationId }, 'no conversation reference: proactive message not sent');
      return false;
    }
    const turn: ProactiveTurn = {
      conversationId,
      customerId: conversation.customerId,
      locale: normalizeLocale(conversation.customer?.locale) ?? normalizeLocale(conversation.locale) ?? this.defaultLocale,
    };
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      const info = turnInfoOrUndefined(context);
      if (info) info.locale = turn.locale;
      setTurnSender(context, sender);
      try {
        await build(context, turn);
      } catch (err) {
        failure = err;
      }
    });
    if (failure !== undefined) throw new ProactiveSendError(conversationId, failure);
    return true;
  }
}
