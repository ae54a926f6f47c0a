import type { ProactiveMessenger } from '../../bot/proactive';
import type { DomainEvent, Subscription } from '../../events/eventLog';
import type { I18n } from '../../i18n/i18n';
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import { TIER_UP, type TierUp } from './ledger';

/** Congratulates a customer who moved up a tier, in their latest conversation and language (once). */
export class TierNotifier {
  readonly subscription: Subscription;

  constructor(
    private readonly db: Db,
    private readonly messenger: Pick<ProactiveMessenger, 'send' | 'sentForEvent'>,
    private readonly i18n: I18n,
    private readonly logger: Logger,
  ) {
    this.subscription = { name: 'loyalty.notify-tier-up', types: [TIER_UP], handle: (event) => this.deliver(event) };
  }

  private async deliver(event: DomainEvent): Promise<void> {
    const p = event.payload as TierUp;
    const conversation = await this.db.conversation.findFirst({ where: { customerId: p.customerId }, orderBy: { lastActivityAt: 'desc' }, select: { id: true } });
    if (!conversation) return;
    if (await this.messenger.sentForEvent(conversation.id, event.id)) return;
    const sent = await this.messenger.send(
      conversation.id,
      async (context, turn) => {
        const text = this.i18n.t(turn.locale, 'loyalty.tierUp', { tier: this.i18n.t(turn.locale, `loyalty.tier.${p.to}`), points: p.points });
        await context.sendActivity({ type: 'message', text, channelData: { kefuEventId: event.id } });
      },
      { type: 'system', id: null },
    );
    if (!sent) this.logger.warn({ conversationId: conversation.id }, 'tier notice not sent: the conversation cannot be reached');
  }
}
