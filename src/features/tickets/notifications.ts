import type { ProactiveMessenger } from '../../bot/proactive';
import type { DomainEvent, Subscription } from '../../events/eventLog';
import type { I18n } from '../../i18n/i18n';
import type { Logger } from '../../logger';
import { TicketTexts } from './format';
import { TICKET_NOTICE, type CustomerNotice } from './service';

/** A notice as it travels in a ticket.notice event (dates as JSON text). */
type StoredNotice = Omit<CustomerNotice, 'dueAt'> & { dueAt: string | null };

/**
 * Tells customers about their tickets: each ticket.notice event becomes a proactive message in the
 * conversation the ticket was opened in, in the customer's language. It is an event subscriber, so
 * a notice is sent after the change committed, survives a crash, and is retried when the channel
 * fails; a notice already in the transcript (delivered once, then the process died before the
 * delivery was marked done) is not sent again. Internal notes never produce a notice.
 */
export class TicketNotifier {
  private readonly texts: TicketTexts;
  readonly subscription: Subscription;

  constructor(
    private readonly messenger: Pick<ProactiveMessenger, 'send' | 'sentForEvent'>,
    private readonly i18n: I18n,
    timeZone: string,
    private readonly reopenWindowDays: number,
    private readonly logger: Logger,
  ) {
    this.texts = new TicketTexts(i18n, timeZone);
    this.subscription = { name: 'tickets.notify-customer', types: [TICKET_NOTICE], handle: (event) => this.deliver(event) };
  }

  private async deliver(event: DomainEvent): Promise<void> {
    const stored = event.payload as StoredNotice;
    const notice: CustomerNotice = { ...stored, dueAt: stored.dueAt ? new Date(stored.dueAt) : null };
    const conversationId = notice.conversationId;
    if (!conversationId) return;
    if (await this.messenger.sentForEvent(conversationId, event.id)) return;
    const sent = await this.messenger.send(
      conversationId,
      async (context, turn) => {
        await context.sendActivity({ type: 'message', text: this.text(turn.locale, notice), channelData: { kefuEventId: event.id } });
      },
      { type: 'system', id: null },
    );
    if (!sent) this.logger.warn({ conversationId, ticket: notice.number, kind: notice.kind }, 'ticket notice not sent: the conversation cannot be reached');
  }

  text(locale: Parameters<TicketTexts['category']>[0], notice: CustomerNotice): string {
    const base = { number: notice.number, category: this.i18n.t(locale, `tickets.category.${notice.category}`) };
    switch (notice.kind) {
      case 'opened':
        return notice.dueAt
          ? this.i18n.t(locale, 'tickets.notify.openedDue', { ...base, due: this.texts.time(locale, notice.dueAt) })
          : this.i18n.t(locale, 'tickets.notify.opened', base);
      case 'resolved':
        return this.i18n.t(locale, 'tickets.notify.resolved', { ...base, summary: notice.body ?? '', days: this.reopenWindowDays });
      case 'comment':
        return this.i18n.t(locale, 'tickets.notify.comment', { ...base, comment: notice.body ?? '' });
      default:
        return this.i18n.t(locale, `tickets.notify.${notice.kind}`, base);
    }
  }
}
