import { foldText } from '../../nlu/normalize';
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { SUPPORTED_LOCALES } from '../../config/locales';
import type { LoyaltyPolicy } from './loyaltyPolicy';
import { turnInfo } from '../../bot/turnState';
import { LoyaltyDialogIds, type LoyaltyDialogOptions } from './ids';
import { KefuDialog, type DialogBase } from '../../../dialogs/kefuDialog';
import { withButtons } from '../../../dialogs/prompts/kefuPrompt';
import type { UpcomingExpiry } from './expiry';
import type { RedeemDialog } from './redeemDialog';

/** What the dialog reads of a customer's points. */
export interface PointsReader {
  balance(customerId: string): Promise<number>;
  /** The next points to expire within 30 days, if any. */
  upcoming(customerId: string, now: Date): Promise<UpcomingExpiry | undefined>;
}

/**
 * Points balance, membership tier, what the next tier needs (1 yuan spent = 1 point), the points
 * that expire within 30 days; and the redemption of points for coupons (RedeemDialog) when the
 * customer asks for it ("用积分兑换", "redeem my points") or taps its button.
 */
export class LoyaltyDialog extends KefuDialog {
  private readonly redeemCues: string[];

  constructor(
    base: DialogBase,
    private readonly points: PointsReader,
    private readonly policy: LoyaltyPolicy,
    private readonly redeem: RedeemDialog | undefined,
  ) {
    super(LoyaltyDialogIds.loyalty, base);
    this.redeemCues = SUPPORTED_LOCALES.flatMap((l) => base.i18n.list(l, 'loyalty.redeem.cues')).map(foldText);
    if (redeem) this.addDialog(redeem);
    this.addDialog(new WaterfallDialog(LoyaltyDialogIds.loyaltyWaterfall, [this.showStep.bind(this), async (step) => step.endDialog(step.result)]));
    this.initialDialogId = LoyaltyDialogIds.loyaltyWaterfall;
  }

  private async showStep(step: WaterfallStepContext<LoyaltyDialogOptions>): Promise<DialogTurnResult> {
    const gate = await this.requireSignIn(step);
    if (gate) return gate;
    const options = step.options ?? {};
    if (this.redeem && (options.redeem || options.lateConfirm || this.asksToRedeem(step.context.activity.text))) {
      return step.beginDialog(LoyaltyDialogIds.redeem, options);
    }
    const customerId = turnInfo(step.context).customerId;
    const [balance, expiring] = await Promise.all([this.points.balance(customerId), this.points.upcoming(customerId, this.now())]);
    const status = this.policy.status(balance);
    const tier = this.t(step.context, `loyalty.tier.${status.tier}`);
    const lines = [this.t(step.context, 'loyalty.balance', { points: status.points, tier })];
    if (expiring) lines.push(this.t(step.context, 'loyalty.expiring', { points: expiring.points, date: this.date(step.context, expiring.on) }));
    lines.push(
      status.next
        ? this.t(step.context, 'loyalty.next', { needed: status.next.pointsNeeded, tier: this.t(step.context, `loyalty.tier.${status.next.tier}`) })
        : this.t(step.context, 'loyalty.top'),
    );
    lines.push(this.t(step.context, 'loyalty.rule'));
    const buttons = [...(this.redeem ? [this.t(step.context, 'loyalty.redeem.button')] : []), this.t(step.context, 'faq.topics.membership.title')];
    await step.context.sendActivity(withButtons(lines.join('\n'), buttons));
    return this.end(step, { outcome: 'done' });
  }

  /** "积分能换优惠券吗", "用积分兑换", "redeem my points": the message names the redemption. */
  private asksToRedeem(text: string | undefined): boolean {
    const lower = foldText(text ?? '');
    return this.redeemCues.some((cue) => lower.includes(cue));
  }
}
