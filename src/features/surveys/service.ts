import type { StatePropertyAccessor } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { Survey } from './types';
import type { ProactiveMessenger } from '../../bot/proactive';
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import type { SurveysConfig } from './config';
import { LONG_FORM, type LongFormItem } from './longForm';
import { QuietHours } from './quietHours';
import type { SurveyTexts, SurveyTrigger } from './texts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How long a survey waits when the customer is in the middle of something (a dialog, an agent chat). */
const BUSY_RETRY_MINUTES = 5;

/** Why a survey is offered and what it is about (its attribution in the figures). */
export interface SurveyRequest {
  customerId: string;
  conversationId: string;
  trigger: SurveyTrigger;
  agentId?: string | null;
  ticketId?: string | null;
  ticketCategory?: string | null;
  /** Shown in the question (the resolved ticket's number). */
  ticketNumber?: string | null;
  /** One survey per cause: a trigger delivered twice schedules it once. */
  causeKey: string;
  /** The delivered order a follow-up visit is about. */
  orderId?: string | null;
  /** Not before this time (a self-service task: once the customer has gone quiet). */
  notBefore?: Date;
}

export type SurveyStatus = 'SCHEDULED' | 'SENT' | 'ANSWERED' | 'EXPIRED' | 'SKIPPED';

/**
 * Surveys from trigger to question: a request is stored as a SCHEDULED survey (once per cause),
 * then sent by the send job when the rules allow: not to a customer who opted out, at most one per
 * customer per SURVEYS_CAP_DAYS, never in quiet hours (deferred to their end), never into an
 * unfinished dialog or a live agent chat (retried a few minutes later), and a self-service survey
 * only once the customer has been quiet for SURVEYS_QUIET_MINUTES. A sent survey can be answered
 * until it expires (SurveyAnswering).
 */
export class SurveyService {
  private readonly quiet: QuietHours;

  constructor(
    private readonly deps: {
      db: Db;
      messenger: Pick<ProactiveMessenger, 'send'>;
      texts: SurveyTexts;
      dialogState: StatePropertyAccessor<DialogState>;
      config: SurveysConfig;
      timeZone: string;
      clock: () => Date;
      logger: Logger;
    },
  ) {
    this.quiet = new QuietHours(deps.config.SURVEYS_QUIET_HOURS_START, deps.config.SURVEYS_QUIET_HOURS_END, deps.timeZone);
  }

  /** Stores a survey to send (undefined when this cause already has one). */
  async schedule(request: SurveyRequest): Promise<Survey | undefined> {
    const { db } = this.deps;
    const existing = await db.survey.findUnique({ where: { causeKey: request.causeKey } });
    if (existing) return undefined;
    const conversation = await db.conversation.findUnique({ where: { id: request.conversationId }, select: { channelId: true, locale: true, customer: { select: { locale: true } } } });
    if (!conversation) return undefined;
    const now = this.deps.clock();
    const notBefore = request.notBefore && request.notBefore > now ? request.notBefore : now;
    try {
      return await db.survey.create({
        data: {
          customerId: request.customerId,
          conversationId: request.conversationId,
          trigger: request.trigger,
          channelId: conversation.channelId,
          locale: conversation.customer?.locale ?? conversation.locale ?? 'zh-CN',
          agentId: request.agentId ?? null,
          ticketId: request.ticketId ?? null,
          ticketCategory: request.ticketCategory ?? null,
          orderId: request.orderId ?? null,
          causeKey: request.causeKey,
          sendAfter: this.quiet.deferred(notBefore),
          createdAt: now,
        },
      });
    } catch (err) {
      // Another instance scheduled the same cause between our read and our write.
      if ((await db.survey.count({ where: { causeKey: request.causeKey } })) > 0) return undefined;
      throw err;
    }
  }

  /** The send job: every scheduled survey that is due is sent, skipped or deferred. Returns how many were sent. */
  async sendDue(limit = 50): Promise<number> {
    const now = this.deps.clock();
    const due = await this.deps.db.survey.findMany({ where: { status: 'SCHEDULED', sendAfter: { lte: now } }, orderBy: { sendAfter: 'asc' }, take: limit });
    let sent = 0;
    for (const survey of due) {
      try {
        if (await this.trySend(survey, now)) sent++;
      } catch (err) {
        this.deps.logger.warn({ err, surveyId: survey.id, conversationId: survey.conversationId }, 'survey not sent; retried at the next run');
      }
    }
    return sent;
  }

  private async trySend(survey: Survey, now: Date): Promise<boolean> {
    const { db, config } = this.deps;
    const skip = await this.skipReason(survey, now);
    if (skip) {
      await db.survey.updateMany({ where: { id: survey.id, status: 'SCHEDULED' }, data: { status: 'SKIPPED', skipReason: skip } });
      return false;
    }
    const later = await this.notYet(survey, now);
    if (later) {
      await db.survey.updateMany({ where: { id: survey.id, status: 'SCHEDULED' }, data: { sendAfter: later } });
      return false;
    }
    let busy = false;
    let claimed = false;
    const { stage, number } = await this.firstQuestion(survey);
    const reached = await this.deps.messenger.send(
      survey.conversationId,
      async (context, turn) => {
        const stack = (await this.deps.dialogState.get(context))?.dialogStack;
        if (stack?.length) {
          busy = true;
          return;
        }
        const claim = await db.survey.updateMany({
          where: { id: survey.id, status: 'SCHEDULED' },
          data: { status: 'SENT', stage, sentAt: now, expiresAt: new Date(now.getTime() + config.SURVEYS_EXPIRE_HOURS * HOUR), locale: turn.locale },
        });
        if (claim.count === 0) return;
        claimed = true;
        const { texts } = this.deps;
        const channelId = context.activity.channelId;
        const question = stage === 'score' ? texts.question(turn.locale, channelId, survey.trigger as SurveyTrigger, { number }) : texts.item(turn.locale, channelId, stage, { number });
        await context.sendActivity({ ...question, channelData: { kefuSurveyId: survey.id } });
      },
      { type: 'system', id: null },
    );
    if (!reached) {
      await db.survey.updateMany({ where: { id: survey.id, status: 'SCHEDULED' }, data: { status: 'SKIPPED', skipReason: 'unreachable' } });
      return false;
    }
    if (busy) await db.survey.updateMany({ where: { id: survey.id, status: 'SCHEDULED' }, data: { sendAfter: new Date(now.getTime() + BUSY_RETRY_MINUTES * MINUTE) } });
    return claimed;
  }

  /** What the survey asks first (the follow-up visit's longer form starts with its first question) and the number it names (the ticket's or the order's). */
  private async firstQuestion(survey: Survey): Promise<{ stage: 'score' | LongFormItem; number: string }> {
    const { db, config } = this.deps;
    const stage = survey.trigger === 'followup_visit' && config.SURVEYS_FOLLOWUP_FORM === 'long' ? LONG_FORM[0] : 'score';
    if (survey.orderId) return { stage, number: (await db.order.findUnique({ where: { id: survey.orderId }, select: { number: true } }))?.number ?? '' };
    if (survey.ticketId) return { stage, number: (await db.ticket.findUnique({ where: { id: survey.ticketId }, select: { number: true } }))?.number ?? '' };
    return { stage, number: '' };
  }

  /** A rule that stops the survey for good. */
  private async skipReason(survey: Survey, now: Date): Promise<string | undefined> {
    const { db, config } = this.deps;
    if (now.getTime() - survey.createdAt.getTime() > config.SURVEYS_EXPIRE_HOURS * HOUR) return 'expired';
    if (await db.surveyOptOut.findUnique({ where: { customerId: survey.customerId } })) return 'opted_out';
    if (config.SURVEYS_CAP_DAYS > 0) {
      const recent = await db.survey.count({ where: { customerId: survey.customerId, sentAt: { gt: new Date(now.getTime() - config.SURVEYS_CAP_DAYS * DAY) } } });
      if (recent > 0) return 'capped';
    }
    return undefined;
  }

  /** When a survey that may be sent should wait: quiet hours, a live agent chat, a customer still busy. */
  private async notYet(survey: Survey, now: Date): Promise<Date | undefined> {
    const { db, config } = this.deps;
    if (this.quiet.contains(now)) return this.quiet.deferred(now);
    const conversation = await db.conversation.findUnique({ where: { id: survey.conversationId }, select: { status: true, lastActivityAt: true } });
    if (conversation?.status === 'AGENT' || conversation?.status === 'QUEUED') return new Date(now.getTime() + BUSY_RETRY_MINUTES * MINUTE);
    if (survey.trigger === 'task_finished' && conversation) {
      const quietUntil = new Date(conversation.lastActivityAt.getTime() + config.SURVEYS_QUIET_MINUTES * MINUTE);
      if (quietUntil > now) return quietUntil;
    }
    return undefined;
  }

  /** Sent surveys past their time are marked EXPIRED (the answer flow ignores them already). */
  async expire(): Promise<number> {
    const now = this.deps.clock();
    const result = await this.deps.db.survey.updateMany({ where: { status: 'SENT', expiresAt: { lte: now } }, data: { status: 'EXPIRED' } });
    return result.count;
  }
}
