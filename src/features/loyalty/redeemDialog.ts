import type { TurnContext } from 'botbuilder';
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { turnInfo } from '../../bot/turnState';
import { formatYuan } from '../../../dialogs/format';
import { PromptIds } from '../../../dialogs/ids';
import { KefuDialog, type DialogBase } from '../../../dialogs/kefuDialog';
import { KefuPrompt, button, type PromptOutcome } from '../../../dialogs/prompts/kefuPrompt';
import { NO, YES, pickValue, yesNo } from '../../../dialogs/prompts/parsers';
import type { Coupon } from './config';
import { LoyaltyDialogIds, type LoyaltyDialogOptions } from './ids';
import type { PointsRedemption } from './redemption';

/** What the dialog needs: the balance, and the redemption service. */
export interface RedeemDeps {
  balance(customerId: string): Promise<number>;
  redemption: Pick<PointsRedemption, 'coupons' | 'newCode' | 'redeem' | 'recent'>;
}

const CHOSEN = 'coupon';
const CODE = 'code';

/**
 * Points for a coupon: the coupons the customer can afford as buttons (or how many points the
 * cheapest still needs), a confirmation with the balance after it, then the redemption: the shop is
 * asked to issue the coupon (its code, amount and validity are told at once) and the new balance is
 * shown. The code is chosen before the confirmation and is the redemption's key, so a second tap on
 * "confirm" never redeems twice; a late one is told the redemption is already done.
 */
export class RedeemDialog extends KefuDialog {
  constructor(
    base: DialogBase,
    private readonly deps: RedeemDeps,
  ) {
    super(LoyaltyDialogIds.redeem, base);
    this.addDialog(new KefuPrompt(PromptIds.choice, pickValue));
    this.addDialog(new KefuPrompt(PromptIds.confirm, yesNo));
    this.addDialog(new WaterfallDialog(LoyaltyDialogIds.redeemWaterfall, [this.offerStep.bind(this), this.confirmStep.bind(this), this.redeemStep.bind(this)]));
    this.initialDialogId = LoyaltyDialogIds.redeemWaterfall;
  }

  private async offerStep(step: WaterfallStepContext<LoyaltyDialogOptions>): Promise<DialogTurnResult> {
    const { context } = step;
    const customerId = turnInfo(context).customerId;
    const [balance, recent] = await Promise.all([this.deps.balance(customerId), step.options?.lateConfirm ? this.deps.redemption.recent(customerId) : undefined]);
    if (recent) {
      await this.say(context, 'loyalty.redeem.alreadyDone', { code: recent.code, points: balance });
      return this.end(step, { outcome: 'done' });
    }
    const coupons = this.deps.redemption.coupons;
    const affordable = coupons.filter((c) => c.points <= balance);
    if (coupons.length === 0 || affordable.length === 0) {
      const cheapest = coupons[0];
      if (cheapest) await this.say(context, 'loyalty.redeem.tooFew', { points: balance, cheapest: cheapest.points, amount: formatYuan(cheapest.amount), needed: cheapest.points - balance });
      else await this.say(context, 'loyalty.redeem.none');
      return this.end(step, { outcome: 'refused' });
    }
    return step.prompt(PromptIds.choice, {
      prompt: this.t(context, 'loyalty.redeem.pick', { points: balance }),
      ...this.retry(context, 'dialogs.common.pickRetry'),
      choices: [...affordable.map((c) => button(String(c.points), this.option(context, c))), button(NO, this.t(context, 'loyalty.redeem.no'))],
    });
  }

  private async confirmStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return this.giveUp(step);
    if (answer.value === NO) return this.keep(step);
    const coupon = this.deps.redemption.coupons.find((c) => String(c.points) === answer.value);
    if (!coupon) return this.keep(step);
    const balance = await this.deps.balance(turnInfo(step.context).customerId);
    this.remember(step, CHOSEN, coupon.points);
    this.remember(step, CODE, this.deps.redemption.newCode());
    return step.prompt(PromptIds.confirm, {
      prompt: this.t(step.context, 'loyalty.redeem.confirm', { points: coupon.points, amount: formatYuan(coupon.amount), days: coupon.validDays, after: balance - coupon.points }),
      ...this.retry(step.context, 'dialogs.common.yesNoRetry'),
      choices: [button(YES, this.t(step.context, 'loyalty.redeem.yes')), button(NO, this.t(step.context, 'loyalty.redeem.no'))],
    });
  }

  private async redeemStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<boolean>;
    if (!answer.ok) return this.giveUp(step);
    if (!answer.value) return this.keep(step);
    const { context } = step;
    const outcome = await this.deps.redemption.redeem(turnInfo(context).customerId, this.recall<number>(step, CHOSEN), this.recall<string>(step, CODE));
    if (outcome.status === 'short') {
      await this.say(context, 'loyalty.redeem.tooFewNow', { points: outcome.balance, needed: outcome.needed });
      return this.end(step, { outcome: 'refused' });
    }
    if (outcome.status === 'already') {
      await this.say(context, 'loyalty.redeem.alreadyDone', { code: outcome.code, points: outcome.balance });
      return this.end(step, { outcome: 'done' });
    }
    const { coupon } = outcome;
    await this.say(context, 'loyalty.redeem.done', { amount: formatYuan(coupon.amount), code: outcome.code, days: coupon.validDays, until: this.date(context, outcome.validUntil), points: outcome.balance });
    return this.end(step, { outcome: 'done' });
  }

  /** "No" at either question: nothing redeemed, the balance as it is. */
  private async keep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await this.say(step.context, 'loyalty.redeem.kept', { points: await this.deps.balance(turnInfo(step.context).customerId) });
    return this.end(step, { outcome: 'declined' });
  }

  private option(context: TurnContext, coupon: Coupon): string {
    return this.t(context, 'loyalty.redeem.option', { points: coupon.points, amount: formatYuan(coupon.amount), days: coupon.validDays });
  }
}
