import crypto from 'node:crypto';
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { CareMessage } from './types';
import type { ProactiveMessenger, ProactiveTurn } from '../../bot/proactive';
import type { Locale } from '../../config/locales';
import type { EventLog } from '../../events/eventLog';
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import { COUPON_REQUESTED, type CouponRequested } from '../shop';
import type { QuietHours } from '../surveys';
import { MARKETING_KINDS, type CareKind, type CareTexts } from './careTexts';
import type { SegmentsConfig } from './config';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How long a message waits when the customer is busy (a dialog, a queue, an agent chat). */
const BUSY_RETRY_MINUTES = 5;
/** How long a win-back coupon is valid (told to the customer and to the shop). */
const COUPON_VALID_DAYS = 30;

export interface CareSenderDeps {
  db: Db;
  messenger: Pick<ProactiveMessenger, 'send'>;
  events: Pick<EventLog, 'record'>;
  texts: CareTexts;
  dialogState: StatePropertyAccessor<DialogState>;
  config: SegmentsConfig;
  quiet: QuietHours;
  logger: Logger;
}

/**
 * Sends the planned care messages that are due, in the customer's last conversation and language:
 * never to a customer who opted out or (marketing kinds) did not consent, at most CARE_CAP_COUNT per
 * CARE_CAP_DAYS across all kinds, never in quiet hours (deferred to their end), never into a dialog,
 * a queue or an agent chat (tried again a few minutes later). Every decision is stored on the row.
 */
export class CareSender {
  constructor(private readonly deps: CareSenderDeps) {}

  private enabled(kind: CareKind): boolean {
    const c = this.deps.config;
    return c.CARE_ENABLED && { birthday: c.CARE_BIRTHDAY, holiday: c.CARE_HOLIDAY, winback: c.CARE_WINBACK, followup: c.CARE_FOLLOWUP }[kind];
  }

  /** Pages of `page` until a page is not full (at most `pages` a run: a holiday greets every consenting customer). Returns how many were sent. */
  async sendAllDue(now: Date, page = 100, pages = 20): Promise<number> {
    let sent = 0;
    for (let i = 0; i < pages; i++) {
      const { taken, sent: n } = await this.sendDue(now, page);
      sent += n;
      if (taken < page) break;
    }
    return sent;
  }

  async sendDue(now: Date, limit = 100): Promise<{ taken: number; sent: number }> {
    const due = await this.deps.db.careMessage.findMany({ where: { status: 'SCHEDULED', sendAfter: { lte: now } }, orderBy: [{ sendAfter: 'asc' }, { id: 'asc' }], take: limit });
    let sent = 0;
    for (const message of due) {
      try {
        if (await this.trySend(message, now)) sent++;
      } catch (err) {
        this.deps.logger.warn({ err, careMessageId: message.id }, 'care message not sent; tried again at the next run');
      }
    }
    return { taken: due.length, sent };
  }

  private async setStatus(message: CareMessage, data: { status?: string; skipReason?: string; sendAfter?: Date }): Promise<void> {
    await this.deps.db.careMessage.updateMany({ where: { id: message.id, status: 'SCHEDULED' }, data });
  }

  private async trySend(message: CareMessage, now: Date): Promise<boolean> {
    const { db, quiet } = this.deps;
    const skip = await this.skipReason(message, now);
    if (skip) {
      await this.setStatus(message, { status: 'SKIPPED', skipReason: skip });
      return false;
    }
    if (quiet.contains(now)) {
      await this.setStatus(message, { sendAfter: quiet.deferred(now) });
      return false;
    }
    const conversation = await db.conversation.findFirst({ where: { customerId: message.customerId }, orderBy: { lastActivityAt: 'desc' }, select: { id: true, status: true } });
    if (!conversation) {
      await this.setStatus(message, { status: 'SKIPPED', skipReason: 'unreachable' });
      return false;
    }
    const later = { sendAfter: new Date(now.getTime() + BUSY_RETRY_MINUTES * MINUTE) };
    if (conversation.status === 'AGENT' || conversation.status === 'QUEUED') {
      await this.setStatus(message, later);
      return false;
    }
    let busy = false;
    let claimed = false;
    const reached = await this.deps.messenger.send(
      conversation.id,
      async (context, turn) => {
        if ((await this.deps.dialogState.get(context))?.dialogStack?.length) {
          busy = true;
          return;
        }
        claimed = await this.claimAndSend(context, turn, message, conversation.id, now);
      },
      { type: 'system', id: null },
    );
    if (!reached) await this.setStatus(message, { status: 'SKIPPED', skipReason: 'unreachable' });
    else if (busy) await this.setStatus(message, later);
    return claimed;
  }

  /** Marks the message sent (once: a second instance finds it taken), asks the shop for the coupon in the same transaction, and sends it. */
  private async claimAndSend(context: TurnContext, turn: ProactiveTurn, message: CareMessage, conversationId: string, now: Date): Promise<boolean> {
    const { db } = this.deps;
    const customer = await db.customer.findUniqueOrThrow({ where: { id: message.customerId }, select: { name: true, tier: true, externalId: true } });
    const couponCode = message.kind === 'winback' ? `WB${crypto.randomBytes(4).toString('hex').toUpperCase()}` : null;
    const order = message.orderId ? await db.order.findUnique({ where: { id: message.orderId }, select: { number: true } }) : null;
    const claimed = await db.$transaction(async (tx) => {
      const claim = await tx.careMessage.updateMany({ where: { id: message.id, status: 'SCHEDULED' }, data: { status: 'SENT', sentAt: now, conversationId, locale: turn.locale, couponCode } });
      if (claim.count === 0) return false;
      if (couponCode) {
        const payload: CouponRequested = { careMessageId: message.id, customerId: message.customerId, code: couponCode, amount: this.deps.config.CARE_WINBACK_COUPON_YUAN * 100, validDays: COUPON_VALID_DAYS, reason: 'winback' };
        await this.deps.events.record(tx, [{ type: COUPON_REQUESTED, subject: `Customer:${message.customerId}`, payload }]);
      }
      return true;
    });
    if (!claimed) return false;
    const text = this.text(turn.locale, message, { name: customer.name, tier: customer.tier, couponCode, orderNumber: order?.number ?? '' });
    await context.sendActivity({ type: 'message', text, channelData: { kefuCareId: message.id } });
    return true;
  }

  private text(locale: Locale, message: CareMessage, v: { name: string | null; tier: string; couponCode: string | null; orderNumber: string }): string {
    const { texts, config } = this.deps;
    const name = texts.name(locale, v.name);
    switch (message.kind as CareKind) {
      case 'birthday':
        return texts.t(locale, `birthday.${v.tier}`, { name });
      case 'holiday':
        return texts.holiday(locale, message.causeKey.split(':')[2] ?? 'default', name);
      case 'winback':
        return texts.t(locale, 'winback', { name, amount: config.CARE_WINBACK_COUPON_YUAN, code: v.couponCode ?? '', days: COUPON_VALID_DAYS });
      default:
        return texts.t(locale, 'followup', { number: v.orderNumber });
    }
  }

  /** A rule that stops the message for good. */
  private async skipReason(message: CareMessage, now: Date): Promise<string | undefined> {
    const { db, config } = this.deps;
    const kind = message.kind as CareKind;
    if (!this.enabled(kind)) return 'disabled';
    if (now.getTime() - message.createdAt.getTime() > config.CARE_EXPIRE_HOURS * HOUR) return 'expired';
    if (await db.careOptOut.findUnique({ where: { customerId: message.customerId } })) return 'opted_out';
    const customer = await db.customer.findUnique({ where: { id: message.customerId }, select: { marketingConsent: true } });
    if (!customer) return 'unreachable';
    if (MARKETING_KINDS.includes(kind) ? customer.marketingConsent !== true : customer.marketingConsent === false) return 'no_consent';
    if (config.CARE_CAP_COUNT === 0) return 'capped';
    const recent = await db.careMessage.count({ where: { customerId: message.customerId, status: 'SENT', sentAt: { gt: new Date(now.getTime() - config.CARE_CAP_DAYS * DAY) } } });
    if (recent >= config.CARE_CAP_COUNT) return 'capped';
    return undefined;
  }
}
