import { foldText } from '../../nlu/normalize';
import type { TurnContext } from 'botbuilder';
import { SUPPORTED_LOCALES } from '../../config/locales';
import type { I18n } from '../../i18n/i18n';
import { turnInfo } from '../../bot/turnState';
import { formatYuan } from '../../../dialogs/format';
import type { TicketTexts } from './format';
import type { Ticket } from './types';

/** An order with money refunded, as the refund answer reads it (the orders feature provides it). */
export interface RefundedOrder {
  number: string;
  refundedTotal: number;
  returnedAt: Date | null;
}

export interface RefundLookup {
  refunded(customerId: string, limit: number): Promise<RefundedOrder[]>;
}

const UNDER_WAY = new Set<Ticket['status']>(['NEW', 'OPEN', 'PENDING_CUSTOMER', 'ESCALATED', 'REOPENED']);
const RETURN_CATEGORIES = new Set<Ticket['category']>(['return', 'exchange']);

/**
 * "退款什么时候到账", "has my refund gone through": the customer's refunds (amount, the return's date,
 * when refunds arrive) and the returns and exchanges still under way, instead of every ticket they
 * have. A question about a refund is one that says so (tickets.refunds.words, either language).
 */
export class RefundAnswer {
  private readonly words: string[];

  constructor(
    private readonly i18n: I18n,
    private readonly texts: TicketTexts,
    private readonly refunds: RefundLookup,
    private readonly tickets: { listForCustomer(customerId: string, limit?: number): Promise<Ticket[]> },
  ) {
    this.words = SUPPORTED_LOCALES.flatMap((l) => i18n.list(l, 'tickets.refunds.words')).map((w) => w.toLowerCase());
  }

  asked(text: string | undefined): boolean {
    const lower = foldText(text ?? '');
    return this.words.some((w) => lower.includes(w));
  }

  /** Sends the answer; returns the ticket numbers shown. */
  async reply(context: TurnContext): Promise<string[]> {
    const { locale, customerId } = turnInfo(context);
    const [refunded, tickets] = await Promise.all([this.refunds.refunded(customerId, 5), this.tickets.listForCustomer(customerId, 20)]);
    const open = tickets.filter((t) => RETURN_CATEGORIES.has(t.category) && UNDER_WAY.has(t.status)).slice(0, 5);
    if (refunded.length === 0 && open.length === 0) {
      await context.sendActivity(this.i18n.t(locale, 'tickets.refunds.none'));
      return [];
    }
    const lines: string[] = [];
    if (refunded.length > 0) {
      lines.push(this.i18n.t(locale, 'tickets.refunds.title'));
      for (const o of refunded) {
        const returned = o.returnedAt ? this.i18n.t(locale, 'tickets.refunds.returned', { date: this.texts.time(locale, o.returnedAt) }) : '';
        lines.push(this.i18n.t(locale, 'tickets.refunds.line', { number: o.number, amount: formatYuan(o.refundedTotal), returned }));
      }
      lines.push(this.i18n.t(locale, 'tickets.refunds.when'));
    }
    if (open.length > 0) lines.push(this.i18n.t(locale, 'tickets.refunds.open'), ...open.map((t) => this.texts.line(locale, t)));
    await context.sendActivity(lines.join('\n'));
    return open.map((t) => t.number);
  }
}
