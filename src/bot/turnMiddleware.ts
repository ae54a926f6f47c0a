import { ActivityTypes, type Activity, type Middleware, type ResourceResponse, type TurnContext } from 'botbuilder';
import type { BaseConfig } from '../config/schema';
import type { Locale } from '../config/locales';
import type { ConversationDirectory } from '../crm/conversations';
import type { TranscriptService } from '../crm/transcript';
import type { CrmStorage, TurnStateSlot } from '../store/crmStorage';
import { normalizeLocale } from '../i18n/i18n';
import type { Logger } from '../logger';
import { setTurnInfo, turnInfo } from './turnState';

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
    private readonly state?: { storage: CrmStorage; keyOf: (context: TurnContext) => string | undefined },
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const activity = context.activity;
    const record = await this.directory.resolve(activity);
    const locale: Locale =
      normalizeLocale(activity.locale) ?? normalizeLocale(record.customerLocale) ?? this.config.DEFAULT_LOCALE;
    const logger = this.logger.child({ conversationId: record.conversationId, channelId: activity.channelId });
    setTurnInfo(context, { locale, conversationId: record.conversationId, customerId: record.customerId, verified: record.verified, savedLocale: record.customerLocale, logger });
    const ids = { conversationId: record.conversationId, customerId: record.customerId };

    const held = this.holdState(context);
    try {
      if (!isProactive(activity)) {
        let isNew: boolean;
        if (held) {
          const begun = await this.transcript.recordInboundWithState(ids, activity, held.key);
          isNew = begun.isNew;
          held.slot.prefetched = begun.state;
        } else {
          isNew = await this.transcript.recordInbound(ids, activity);
        }
        if (!isNew) {
          logger.info({ activityId: activity.id }, 'duplicate inbound activity ignored');
          return;
        }
      }
      await this.runTurn(context, next, ids, logger, held);
    } finally {
      if (held) this.state?.storage.closeTurn(held.key, held.slot);
    }
  }

  /** Joins the conversation's state item to this turn, when the state lives in the CRM store and no other turn holds it. */
  private holdState(context: TurnContext): { slot: TurnStateSlot; key: string } | undefined {
    const key = this.state?.keyOf(context);
    const slot = key ? this.state?.storage.openTurn(key) : undefined;
    return key && slot ? { slot, key } : undefined;
  }

  private async runTurn(
    context: TurnContext,
    next: () => Promise<void>,
    ids: { conversationId: string; customerId: string },
    logger: Logger,
    held?: { slot: TurnStateSlot; key: string },
  ): Promise<void> {
    const sent: { activity: Partial<Activity>; id?: string }[] = [];
    context.onSendActivities(async (_ctx, activities, nextSend) => {
      const responses: ResourceResponse[] = await nextSend();
      activities.forEach((a, i) => {
        if (a.type !== ActivityTypes.Trace && a.type !== 'delay') sent.push({ activity: a, id: responses?.[i]?.id });
      });
      return responses;
    });

    try {
      await next();
    } catch (err) {
      await this.onError(context, err);
    } finally {
      // Store what was sent even if the turn failed part-way (the apology is sent by onTurnError).
      await this.finishTurn(context, ids, sent, logger, held);
    }
  }

  /** The turn's replies, its last-activity time and its held state write, in one transaction. */
  private async finishTurn(
    context: TurnContext,
    ids: { conversationId: string; customerId: string },
    sent: { activity: Partial<Activity>; id?: string }[],
    logger: Logger,
    held?: { slot: TurnStateSlot; key: string },
  ): Promise<void> {
    const staged = held?.slot.staged;
    const state = held && staged !== undefined ? { key: held.key, data: staged } : undefined;
    if (held) held.slot.staged = undefined;
    try {
      await this.transcript.recordOutbound(ids, sent, turnInfo(context).locale, state);
    } catch (err) {
      logger.error({ err }, state ? 'failed to store the turn (replies and state)' : 'failed to store outbound transcript');
      if (!state) return;
      // The replies must not be lost with the state: store them alone, then treat it as a failed turn.
      await this.transcript
        .recordOutbound(ids, sent, turnInfo(context).locale)
        .catch((again: unknown) => logger.error({ err: again }, 'failed to store outbound transcript'));
      await this.onError(context, err).catch((again: unknown) => logger.error({ err: again }, 'turn error handler failed'));
    }
  }
}
