import { ActivityTypes, type Middleware, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { Survey } from './types';
import type { KeywordMatcher } from '../../bot/intentRecognizer';
import { turnInfoOrUndefined, type TurnInfo } from '../../bot/turnState';
import type { Locale } from '../../config/locales';
import type { Db } from '../../store/db';
import type { TicketDesk } from '../tickets';
import type { SurveyAnswers, Score } from './answers';
import type { SurveysConfig } from './config';
import { ITEM_COLUMNS, isLongFormStage, nextItem } from './longForm';
import type { SurveyTexts } from './texts';

const MAX_COMMENT = 1000;

/** What the answer flow needs of the ticket service: open the follow-up, add the comment to it. */
export interface FollowUpDesk extends Pick<TicketDesk, 'open'> {
  note(ref: string, body: string, actor: { type: 'customer'; id: string }): Promise<unknown>;
}

/**
 * Reads the answers to a sent survey, in the conversation it was sent in, while no dialog waits for
 * an answer: the score (buttons, numbered text or typed words), then the 0-10 question when
 * configured, then an optional comment; a follow-up visit's longer form first asks its questions one
 * by one (service, product quality, price) and its last one, overall, is the score. A message that is not an answer goes on to the bot as any
 * other message, and the survey stays answerable until it expires; each survey is answered once.
 * A score of SURVEYS_LOW_SCORE or less opens a complaint ticket for the supervisors and says so.
 * "别再问了" / "stop surveys" at any time records the opt-out.
 */
export class SurveyAnswering implements Middleware {
  constructor(
    private readonly deps: {
      db: Db;
      answers: SurveyAnswers;
      texts: SurveyTexts;
      keywords: KeywordMatcher;
      tickets: FollowUpDesk;
      dialogState: StatePropertyAccessor<DialogState>;
      config: SurveysConfig;
      clock: () => Date;
    },
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const info = turnInfoOrUndefined(context);
    const text = context.activity.type === ActivityTypes.Message && typeof context.activity.text === 'string' ? context.activity.text.trim() : '';
    if (!info || !text || info.owner.status === 'AGENT' || info.owner.status === 'QUEUED') return next();
    const { answers } = this.deps;
    if (answers.isOptOut(text)) {
      await this.optOut(info, text);
      await context.sendActivity(this.deps.texts.t(info.locale, 'optedOut'));
      return;
    }
    if (info.surveyOpen === false) return next(); // the turn's start saw no survey waiting here
    const stack = (await this.deps.dialogState.get(context))?.dialogStack;
    if (stack?.length) return next();
    const survey = await this.deps.db.survey.findFirst({
      where: { conversationId: info.conversationId, status: { in: ['SENT', 'ANSWERED'] }, stage: { not: 'done' }, expiresAt: { gt: this.deps.clock() } },
      orderBy: { sentAt: 'desc' },
    });
    if (!survey) return next();
    if (!(await this.answer(context, info, survey, text))) await next();
  }

  /** The answer to the question the survey is at; false when the message is not one. */
  private answer(context: TurnContext, info: TurnInfo, survey: Survey, text: string): Promise<boolean> {
    if (survey.stage === 'score' || survey.stage === 'overall') return this.score(context, info, survey, text);
    if (isLongFormStage(survey.stage)) return this.item(context, info.locale, survey, text);
    return survey.stage === 'nps' ? this.nps(context, info.locale, survey, text) : this.comment(context, info, survey, text);
  }

  /** One of the longer form's questions before the last: stored in its column, then the next question. */
  private async item(context: TurnContext, locale: Locale, survey: Survey, text: string): Promise<boolean> {
    const score = this.deps.answers.score(text);
    const stage = survey.stage as keyof typeof ITEM_COLUMNS;
    const next = nextItem(stage);
    if (score === undefined || !next) return false;
    const taken = await this.deps.db.survey.updateMany({ where: { id: survey.id, status: 'SENT', stage }, data: { [ITEM_COLUMNS[stage]]: score, stage: next } });
    if (taken.count === 0) return false;
    await context.sendActivity(this.deps.texts.item(locale, context.activity.channelId, next));
    return true;
  }

  private async score(context: TurnContext, info: TurnInfo, survey: Survey, text: string): Promise<boolean> {
    const score = this.deps.answers.score(text);
    if (score === undefined) return false;
    const { db, config, texts } = this.deps;
    const now = this.deps.clock();
    const stage = config.SURVEYS_NPS ? 'nps' : 'comment';
    const taken = await db.survey.updateMany({ where: { id: survey.id, status: 'SENT', stage: survey.stage }, data: { status: 'ANSWERED', score, answeredAt: now, stage } });
    if (taken.count === 0) return false;
    const locale = info.locale;
    if (score <= config.SURVEYS_LOW_SCORE) {
      const ticket = await this.openFollowUp(info, survey, score);
      await context.sendActivity(texts.t(locale, 'lowScore', { number: ticket.number }));
    }
    await context.sendActivity(stage === 'nps' ? texts.nps(locale, context.activity.channelId) : texts.comment(locale, context.activity.channelId));
    return true;
  }

  private async nps(context: TurnContext, locale: Locale, survey: Survey, text: string): Promise<boolean> {
    const { db, answers, texts } = this.deps;
    const nps = answers.nps(text);
    if (nps === undefined && !answers.isSkip(text)) {
      await db.survey.updateMany({ where: { id: survey.id, stage: 'nps' }, data: { stage: 'done' } });
      return false;
    }
    const taken = await db.survey.updateMany({ where: { id: survey.id, stage: 'nps' }, data: { nps: nps ?? null, stage: 'comment' } });
    if (taken.count === 0) return false;
    await context.sendActivity(texts.comment(locale, context.activity.channelId));
    return true;
  }

  /** The comment: any words but a command ("menu", "转人工") or a ticket number, which go to the bot. */
  private async comment(context: TurnContext, info: TurnInfo, survey: Survey, text: string): Promise<boolean> {
    const { db, answers, texts, keywords } = this.deps;
    const skip = answers.isSkip(text);
    const command = !skip && (keywords.command(text) !== undefined || keywords.mentions(text, 'human_agent') || /\bT\d{12}\b/i.test(text));
    const comment = skip || command ? null : text.slice(0, MAX_COMMENT);
    const taken = await db.survey.updateMany({ where: { id: survey.id, stage: 'comment' }, data: { stage: 'done', comment } });
    if (taken.count === 0 || command) return false;
    if (comment && survey.followUpTicketId) {
      await this.deps.tickets.note(survey.followUpTicketId, texts.t(info.locale, 'followUpComment', { comment }), { type: 'customer', id: info.customerId });
    }
    await context.sendActivity(texts.t(info.locale, comment ? 'thanksComment' : 'thanks'));
    return true;
  }

  private async openFollowUp(info: TurnInfo, survey: Survey, score: Score) {
    const { texts } = this.deps;
    const locale = info.locale;
    const ticket = await this.deps.tickets.open({
      customerId: info.customerId,
      conversationId: info.conversationId,
      category: 'complaint',
      priority: 'high',
      summary: texts.t(locale, 'followUpSummary', {
        score,
        label: texts.t(locale, `scale.${score}`),
        trigger: texts.t(locale, `trigger.${survey.trigger}`),
        conversation: info.conversationId,
      }),
      locale,
      actor: { type: 'bot', id: null },
    });
    await this.deps.db.survey.update({ where: { id: survey.id }, data: { followUpTicketId: ticket.id } });
    return ticket;
  }

  private async optOut(info: TurnInfo, text: string): Promise<void> {
    const { db } = this.deps;
    await db.$transaction(async (tx) => {
      await tx.surveyOptOut.upsert({ where: { customerId: info.customerId }, create: { customerId: info.customerId, text: text.slice(0, 200) }, update: {} });
      await tx.survey.updateMany({ where: { customerId: info.customerId, status: 'SCHEDULED' }, data: { status: 'SKIPPED', skipReason: 'opted_out' } });
      await tx.survey.updateMany({ where: { customerId: info.customerId, status: 'SENT' }, data: { status: 'EXPIRED' } });
    });
  }
}
