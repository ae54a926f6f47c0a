import { ActivityTypes, type Activity, type Middleware, type ResourceResponse, type TurnContext } from 'botbuilder';
import type { BaseConfig } from '../config/schema';
import type { Locale } from '../config/locales';
import type { ConversationDirectory, ConversationRecord } from '../crm/conversations';
import type { SentActivity, TranscriptService } from '../crm/transcript';
import type { BotStateStorage, TurnStateItem } from '../store/botStateStorage';
import { isVerifiedAt } from '../store/turnStore';
import { normalizeLocale } from '../i18n/i18n';
import type { Logger } from '../logger';
import { setTurnInfo, turnInfo, turnSender, type TurnInfo } from './turnState';
import { renderLineBreaks } from './markdown';

/** Activities that are not from the customer (proactive continuations) are not stored as inbound. */
function isProactive(activity: Partial<Activity>): boolean {
  return activity.type === ActivityTypes.Event && activity.name === 'ContinueConversation';
}

/**
 * Runs first on every turn: finds the customer and conversation (creating them on first contact),
 * resolves the turn's locale, stores the inbound activity (a channel retry of the same activity id
 * is stored once and not answered again) and, after the turn, stores every reply in one batch.
 */
export class KefuTurnMiddleware implements Middleware {
  /** The messages whose turns run in this process now ("conversationId\nactivityId"). */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly directory: ConversationDirectory,
    private readonly transcript: TranscriptService,
    private readonly config: Pick<BaseConfig, 'DEFAULT_LOCALE'>,
    private readonly logger: Logger,
    private readonly onError: (context: TurnContext, error: unknown) => Promise<void>,
    /**
     * The conversation state's storage, when it is the CRM store: the state item is then read with
     * the inbound activity and written with the replies, two round trips per turn instead of four.
     */
    private readonly state?: { storage: BotStateStorage; keyOf: (context: TurnContext) => string | undefined },
    /** The services' clock: a web chat sign-in counts until its conversation's verifiedUntil. */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const activity = context.activity;
    if (activity.type === ActivityTypes.Typing) return this.typing(context, next);
    let record = await this.directory.resolve(activity);
    const logger = this.logger.child({ conversationId: record.conversationId, channelId: activity.channelId });
    const joined = this.joinState(context);
    let waiting: Pick<TurnInfo, 'surveyOpen' | 'ticketWaiting' | 'careSent'> = {};
    const running = activity.type === ActivityTypes.Message && activity.id ? `${record.conversationId}\n${activity.id}` : undefined;
    try {
      if (!isProactive(activity)) {
        const ids = { conversationId: record.conversationId, customerId: record.customerId };
        const begun = await this.transcript.recordInbound(ids, activity, joined?.key ?? null);
        if (joined) joined.item.readAhead = begun.state;
        if (begun.conversation) record = this.directory.refresh(activity, record, begun.conversation);
        if (begun.conversation) {
          const { surveyOpen, ticketWaiting, careSent } = begun.conversation;
          waiting = { surveyOpen, ticketWaiting, careSent };
        }
        if (!begun.isNew) {
          if (!(await this.unanswered(activity, record))) {
            logger.info({ activityId: activity.id }, 'duplicate inbound activity ignored');
            return;
          }
          logger.warn({ activityId: activity.id }, 'a retried message was never answered (its first turn did not finish): answering it now');
        }
      }
      if (running) this.inFlight.add(running);
      const locale: Locale = normalizeLocale(activity.locale) ?? normalizeLocale(record.customerLocale) ?? this.config.DEFAULT_LOCALE;
      setTurnInfo(context, {
        locale,
        conversationId: record.conversationId,
        customerId: record.customerId,
        verified: isVerifiedAt(record, this.clock()),
        signInEnded: record.verified && !isVerifiedAt(record, this.clock()),
        savedLocale: record.customerLocale,
        owner: record.owner,
        ...waiting,
        logger,
      });
      await this.runTurn(context, next, { conversationId: record.conversationId, customerId: record.customerId }, logger, joined);
    } finally {
      if (running) this.inFlight.delete(running);
      if (joined) this.state?.storage.leaveTurn(joined.key, joined.item);
    }
  }

  /**
   * The customer is typing: who is talking (the directory's cached record: no store round trip for an
   * ongoing conversation), then the owner's handler (an agent's console shows it). Nothing is stored:
   * no transcript row, no state, no last-activity time.
   */
  private async typing(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const record = await this.directory.resolve(context.activity);
    const locale: Locale = normalizeLocale(record.customerLocale) ?? this.config.DEFAULT_LOCALE;
    const { conversationId, customerId, verified, owner } = record;
    setTurnInfo(context, { locale, conversationId, customerId, verified, savedLocale: record.customerLocale, owner, logger: this.logger });
    await next();
  }

  /**
   * A channel's retry of a message that is stored but was never answered: its first turn died with
   * its process (kill -9, a crash) before the replies were written. It is answered now: at least once
   * for the reply, once for the stored message. Not while that first turn is still running here, nor
   * in a conversation a person owns (there the bot does not answer; the message is already shown).
   */
  private async unanswered(activity: Partial<Activity>, record: ConversationRecord): Promise<boolean> {
    if (activity.type !== ActivityTypes.Message || !activity.id || record.owner.status !== 'BOT') return false;
    if (this.inFlight.has(`${record.conversationId}\n${activity.id}`)) return false;
    return !(await this.transcript.answered(record.conversationId, activity.id));
  }

  /** Joins the conversation's state item to this turn, when the state lives in the CRM store and no other turn has it. */
  private joinState(context: TurnContext): { item: TurnStateItem; key: string } | undefined {
    const key = this.state?.keyOf(context);
    const item = key ? this.state?.storage.joinTurn(key) : undefined;
    return key && item ? { item, key } : undefined;
  }

  private async runTurn(
    context: TurnContext,
    next: () => Promise<void>,
    ids: { conversationId: string; customerId: string },
    logger: Logger,
    joined?: { item: TurnStateItem; key: string },
  ): Promise<void> {
    const sent: SentActivity[] = [];
    context.onSendActivities(async (_ctx, activities, nextSend) => {
      activities.forEach(renderLineBreaks);
      const responses: ResourceResponse[] = await nextSend();
      const sender = turnSender(context);
      activities.forEach((a, i) => {
        // Typing (an agent's, relayed) is not a message: never in the transcript.
        if (a.type !== ActivityTypes.Trace && a.type !== 'delay' && a.type !== ActivityTypes.Typing) sent.push({ activity: a, id: responses?.[i]?.id, sender });
      });
      return responses;
    });

    try {
      await next();
    } catch (err) {
      await this.onError(context, err);
    } finally {
      // Store what was sent even if the turn failed part-way (the apology is sent by onTurnError).
      await this.finishTurn(context, ids, sent, logger, joined);
    }
  }

  /** The turn's replies, its last-activity time and its pending state write, in one transaction. */
  private async finishTurn(
    context: TurnContext,
    ids: { conversationId: string; customerId: string },
    sent: SentActivity[],
    logger: Logger,
    joined?: { item: TurnStateItem; key: string },
  ): Promise<void> {
    const pending = joined?.item.pendingWrite;
    const state = joined && pending !== undefined ? { key: joined.key, data: pending } : undefined;
    if (joined) joined.item.pendingWrite = undefined;
    // A proactive turn that sent nothing to keep (an agent's typing): nothing to write.
    if (sent.length === 0 && !state && isProactive(context.activity)) return;
    try {
      await this.transcript.recordOutbound(ids, sent, turnInfo(context).locale, state);
    } catch (err) {
      logger.error({ err }, state ? 'failed to store the turn (replies and state)' : 'failed to store outbound transcript');
      // The replies must not be lost with the state: store them alone. A turn whose state was lost, or
      // whose replies could not be stored either (the store went away mid-turn), is a failed turn: the
      // customer is told so, and a channel's retry of the message is answered again (unanswered()).
      const stored = await this.transcript.recordOutbound(ids, sent, turnInfo(context).locale).then(
        () => true,
        (again: unknown) => (logger.error({ err: again }, 'failed to store outbound transcript'), false),
      );
      if (state || !stored) await this.onError(context, err).catch((again: unknown) => logger.error({ err: again }, 'turn error handler failed'));
    }
  }
}
