import { ActivityTypes, type Activity, type Middleware, type ResourceResponse, type TurnContext } from 'botbuilder';
import type { Config, Locale } from '../config/config';
import type { ConversationDirectory } from '../crm/conversations';
import type { TranscriptService } from '../crm/transcript';
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
    private readonly config: Pick<Config, 'DEFAULT_LOCALE'>,
    private readonly logger: Logger,
    private readonly onError: (context: TurnContext, error: unknown) => Promise<void>,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const activity = context.activity;
    const record = await this.directory.resolve(activity);
    const locale: Locale =
      normalizeLocale(activity.locale) ?? normalizeLocale(record.customerLocale) ?? this.config.DEFAULT_LOCALE;
    const logger = this.logger.child({ conversationId: record.conversationId, channelId: activity.channelId });
    setTurnInfo(context, { locale, conversationId: record.conversationId, customerId: record.customerId, verified: record.verified, savedLocale: record.customerLocale, logger });
    const ids = { conversationId: record.conversationId, customerId: record.customerId };

    if (!isProactive(activity)) {
      const isNew = await this.transcript.recordInbound(ids, activity);
      if (!isNew) {
        logger.info({ activityId: activity.id }, 'duplicate inbound activity ignored');
        return;
      }
    }

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
      await this.transcript
        .recordOutbound(ids, sent, turnInfo(context).locale)
        .catch((err: unknown) => logger.error({ err }, 'failed to store outbound transcript'));
    }
  }
}
