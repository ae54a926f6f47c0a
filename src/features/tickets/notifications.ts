import type { ProactiveMessenger } from '../../bot/proactive';
import type { I18n } from '../../i18n/i18n';
import type { Logger } from '../../logger';
import { TicketTexts } from './format';
import type { CustomerNotice } from './service';

/**
 * Tells customers about their tickets: each notice becomes a proactive message in the conversation
 * the ticket was opened in. Notices of one conversation are sent in order; a failed send is logged
 * (the change itself is already committed). Internal notes never produce a notice.
 */
export class TicketNotifier {
  private readonly texts: TicketTexts;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly messenger: Pick<ProactiveMessenger, 'send'>,
    private readonly i18n: I18n,
    timeZone: string,
    private readonly reopenWindowDays: number,
    private readonly logger: Logger,
  ) {
    this.texts = new TicketTexts(i18n, timeZone);
  }

  enqueue(notice: CustomerNotice): void {
    const conversationId = notice.conversationId;
    if (!conversationId) return;
    const previous = this.queues.get(conversationId) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(conversationId, notice));
    this.queues.set(conversationId, next);
    void next.finally(() => {
      if (this.queues.get(conversationId) === next) this.queues.delete(conversationId);
    });
  }

  /** Waits for every queued message (on shutdown, and in tests). */
  async drain(): Promise<void> {
    while (this.queues.size) await Promise.all([...this.queues.values()]);
  }

  private async deliver(conversationId: string, notice: CustomerNotice): Promise<void> {
    try {
      await this.messenger.send(conversationId, async (context, turn) => {
        await context.sendActivity(this.text(turn.locale, notice));
      });
    } catch (err) {
      this.logger.error({ err, conversationId, ticket: notice.number, kind: notice.kind }, 'could not tell the customer about their ticket');
    }
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
