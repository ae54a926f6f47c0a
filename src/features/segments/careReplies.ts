import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { turnInfoOrUndefined, type TurnInfo } from '../../bot/turnState';
import type { Db } from '../../store/db';
import type { CareTexts } from './careTexts';

const DAY = 86_400_000;
/** A message within this many days of a care message in the same conversation is a reply to it. */
const REPLY_DAYS = 3;

/**
 * Replies to a care message, in the conversation it was sent in: the first reply is recorded
 * (repliedAt); "不要再发了" / "unsubscribe" records the opt-out (no care message of any kind again)
 * and says so; "all good" to a follow-up visit is thanked; anything else, a problem with the order
 * included, goes on to the normal dialogs.
 */
export class CareReplies implements Middleware {
  constructor(private readonly deps: { db: Db; texts: CareTexts; clock: () => Date }) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const info = turnInfoOrUndefined(context);
    const text = context.activity.type === ActivityTypes.Message && typeof context.activity.text === 'string' ? context.activity.text.trim() : '';
    if (!info || !text || info.owner.status === 'AGENT' || info.owner.status === 'QUEUED') return next();
    if (info.careSent === false) return next(); // the turn's start saw no care message in this conversation
    const { db, texts } = this.deps;
    const now = this.deps.clock();
    const care = await db.careMessage.findFirst({ where: { conversationId: info.conversationId, status: 'SENT', sentAt: { gt: new Date(now.getTime() - REPLY_DAYS * DAY) } }, orderBy: { sentAt: 'desc' } });
    if (!care) return next();
    const first = (await db.careMessage.updateMany({ where: { id: care.id, repliedAt: null }, data: { repliedAt: now } })).count === 1;
    if (texts.isOptOut(text)) {
      await this.optOut(info, care.id, text, now);
      await context.sendActivity(texts.t(info.locale, 'optedOut'));
      return;
    }
    if (first && care.kind === 'followup' && texts.isAllGood(text)) {
      await context.sendActivity(texts.t(info.locale, 'followupThanks'));
      return;
    }
    await next();
  }

  private async optOut(info: TurnInfo, careMessageId: string, text: string, now: Date): Promise<void> {
    await this.deps.db.$transaction(async (tx) => {
      await tx.careOptOut.upsert({ where: { customerId: info.customerId }, create: { customerId: info.customerId, text: text.slice(0, 200), createdAt: now }, update: {} });
      await tx.careMessage.update({ where: { id: careMessageId }, data: { optedOutAt: now } });
      await tx.careMessage.updateMany({ where: { customerId: info.customerId, status: 'SCHEDULED' }, data: { status: 'SKIPPED', skipReason: 'opted_out' } });
    });
  }
}
