import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Customer } from '../../../generated/sqlite/client';
import type { LoyaltyPolicy } from './loyaltyPolicy';
import { turnInfo } from '../../bot/turnState';
import { LoyaltyDialogIds } from './ids';
import { KefuDialog, type DialogBase } from '../../../dialogs/kefuDialog';
import { withButtons } from '../../../dialogs/prompts/kefuPrompt';

/** What the dialog needs to read a customer's points. */
export interface CustomerReader {
  get(customerId: string): Promise<Pick<Customer, 'points'> | null>;
}

/** Points balance, membership tier, and what the next tier needs (1 yuan spent = 1 point). */
export class LoyaltyDialog extends KefuDialog {
  constructor(
    base: DialogBase,
    private readonly customers: CustomerReader,
    private readonly policy: LoyaltyPolicy,
  ) {
    super(LoyaltyDialogIds.loyalty, base);
    this.addDialog(new WaterfallDialog(LoyaltyDialogIds.loyaltyWaterfall, [this.showStep.bind(this)]));
    this.initialDialogId = LoyaltyDialogIds.loyaltyWaterfall;
  }

  private async showStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const gate = await this.requireSignIn(step);
    if (gate) return gate;
    const customer = await this.customers.get(turnInfo(step.context).customerId);
    const status = this.policy.status(customer?.points ?? 0);
    const tier = this.t(step.context, `loyalty.tier.${status.tier}`);
    const lines = [this.t(step.context, 'loyalty.balance', { points: status.points, tier })];
    lines.push(
      status.next
        ? this.t(step.context, 'loyalty.next', { needed: status.next.pointsNeeded, tier: this.t(step.context, `loyalty.tier.${status.next.tier}`) })
        : this.t(step.context, 'loyalty.top'),
    );
    lines.push(this.t(step.context, 'loyalty.rule'));
    await step.context.sendActivity(withButtons(lines.join('\n'), [this.t(step.context, 'faq.topics.membership.title')]));
    return this.end(step, { outcome: 'done' });
  }
}
