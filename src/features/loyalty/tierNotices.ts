import type { ProactiveMessenger } from '../../bot/proactive';
import type { DomainEvent, Subscription } from '../../events/eventLog';
import type { I18n } from '../../i18n/i18n';
import type { Logger } from '../../logger';
import { TIER_UP, type TierUp } from './ledger';

/** Congratulates a customer who moved up a tier, in their latest conversation and language (once). */
export class TierNotifier {
  readonly subscription: Subscription;

  constructor(
    private readonly messenger: Pick<ProactiveMessenger, 'tellCustomerOnce'>,
    private readonly i18n: I18n,
    private readonly logger: Logger,
  ) {
    this.subscription = { name: 'loyalty.notify-tier-up', types: [TIER_UP], handle: (event) => this.deliver(event) };
  }

  private async deliver(event: DomainEvent): Promise<void> {
    const p = event.payload as TierUp;
    const outcome = await this.messenger.tellCustomerOnce(p.customerId, event.id, (locale) =>
      this.i18n.t(locale, 'loyalty.tierUp', { tier: this.i18n.t(locale, `loyalty.tier.${p.to}`), points: p.points }),
    );
    if (outcome === 'unreachable') this.logger.warn({ customerId: p.customerId }, 'tier notice not sent: the conversation cannot be reached');
  }
}
