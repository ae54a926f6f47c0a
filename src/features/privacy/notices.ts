import crypto from 'node:crypto';
import type { ProactiveMessenger } from '../../bot/proactive';
import type { DomainEvent, Subscription } from '../../events/eventLog';
import type { I18n } from '../../i18n/i18n';
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import { CHANGE_DECIDED, type ChangeDecided } from './changeRequests';

export const sha256 = (text: string): string => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Tells the customer how their data request ended, in their language, in their latest
 * conversation: refused (with the reason), or carried out; an export's message carries a one-time
 * download link, whose token is made here (only its hash is stored) so it never sits in the event
 * log. Idempotent: a notice already in the transcript is not sent again.
 */
export class ChangeNotifier {
  readonly subscription: Subscription;

  constructor(
    private readonly deps: {
      db: Db;
      messenger: Pick<ProactiveMessenger, 'tellCustomerOnce'>;
      i18n: I18n;
      logger: Logger;
      clock: () => Date;
      linkHours: number;
      /** The public base URL of this server (for the download link). */
      baseUrl: () => string;
    },
  ) {
    this.subscription = { name: 'privacy.notify-customer', types: [CHANGE_DECIDED], handle: (event) => this.deliver(event) };
  }

  private async deliver(event: DomainEvent): Promise<void> {
    const notice = event.payload as unknown as ChangeDecided;
    const outcome = await this.deps.messenger.tellCustomerOnce(notice.customerId, event.id, async (locale) => {
      // The one-time link is made only for a message really sent (a redelivery finds the message and makes none).
      const link = notice.kind === 'export' && notice.outcome === 'done' ? await this.downloadLink(notice.requestId) : '';
      return this.deps.i18n.t(locale, `privacy.notice.${notice.kind}.${notice.outcome}`, { reason: notice.reason ?? '', link, hours: this.deps.linkHours });
    });
    if (outcome === 'no_conversation') this.deps.logger.warn({ requestId: notice.requestId }, 'data request outcome not sent: the customer has no conversation');
    if (outcome === 'unreachable') this.deps.logger.warn({ requestId: notice.requestId }, 'data request outcome not sent: the conversation cannot be reached');
  }

  private async downloadLink(requestId: string): Promise<string> {
    const token = crypto.randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.deps.clock().getTime() + this.deps.linkHours * 3_600_000);
    await this.deps.db.changeRequest.update({ where: { id: requestId }, data: { downloadTokenHash: sha256(token), downloadExpiresAt: expiresAt, downloadedAt: null } });
    return `${this.deps.baseUrl()}/privacy/export/${token}`;
  }
}
