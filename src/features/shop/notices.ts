import type { Prisma } from '../../store/records';
import type { ProactiveMessenger } from '../../bot/proactive';
import type { DomainEvent, EventLog, Subscription } from '../../events/eventLog';
import type { I18n } from '../../i18n/i18n';
import type { Logger } from '../../logger';
import { formatYuan } from '../../../dialogs/format';
import type { OrderWithItems } from './ingest';

/** The shop answered a cancellation the customer asked for in chat. */
export const CANCEL_ANSWERED = 'shop.cancel_answered';

interface CancelAnswered {
  customerId: string;
  number: string;
  total: number;
  cancelled: boolean;
  reason: string | null;
}

/** Records the shop's answer in the transaction that applies it (the customer is told after the commit). */
export async function recordCancelAnswer(events: EventLog, tx: Prisma.TransactionClient, order: OrderWithItems, outcome: { cancelled: boolean; reason?: string }, now: Date): Promise<void> {
  const payload: CancelAnswered = { customerId: order.customerId, number: order.number, total: order.total, cancelled: outcome.cancelled, reason: outcome.reason ?? null };
  await events.record(tx, [{ type: CANCEL_ANSWERED, subject: `Order:${order.id}`, payload }], now);
}

/**
 * Tells the customer, in their latest conversation and language, what the shop answered (an event
 * subscriber: after the commit, retried if the channel fails, never twice in the transcript).
 */
export class ShopNotifier {
  readonly subscription: Subscription;

  constructor(
    private readonly messenger: Pick<ProactiveMessenger, 'tellCustomerOnce'>,
    private readonly i18n: I18n,
    private readonly logger: Logger,
  ) {
    this.subscription = { name: 'shop.notify-customer', types: [CANCEL_ANSWERED], handle: (event) => this.deliver(event) };
  }

  private async deliver(event: DomainEvent): Promise<void> {
    const p = event.payload as CancelAnswered;
    const outcome = await this.messenger.tellCustomerOnce(p.customerId, event.id, (locale) =>
      p.cancelled
        ? this.i18n.t(locale, 'shop.cancel.confirmed', { number: p.number, total: formatYuan(p.total) })
        : this.i18n.t(locale, 'shop.cancel.refused', { number: p.number, reason: p.reason ?? '' }),
    );
    if (outcome === 'unreachable') this.logger.warn({ order: p.number }, 'cancellation outcome not sent: the conversation cannot be reached');
  }
}
