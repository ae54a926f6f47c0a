import type { TurnContext } from 'botbuilder';
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Actor } from '../../crm/audit';
import { isBeforeShipment, type OrderChange, type OrderWithItems } from './orderService';
import { formatYuan } from '../../../dialogs/format';
import { PromptIds } from '../../../dialogs/ids';
import { OrderDialogIds } from './ids';
import type { DialogBase } from '../../../dialogs/kefuDialog';
import { OrderDialog, type OrderDialogOptions, type OrderLookup } from './orderDialog';
import { KefuPrompt, button, withButtons } from '../../../dialogs/prompts/kefuPrompt';
import { NO, YES, yesNo } from '../../../dialogs/prompts/parsers';

/** What the dialog needs from the order service. */
export interface OrderCanceller extends OrderLookup {
  cancel(customerId: string, number: string, actor: Actor): Promise<OrderChange>;
}

/** Cancels an order before shipment (CREATED or PAID); after shipment explains why not and offers a return. */
export class CancelOrderDialog extends OrderDialog {
  /** Orders that have not shipped are offered first: a shipped one would be refused. */
  protected override workable = (order: OrderWithItems) => isBeforeShipment(order.status);

  constructor(
    base: DialogBase,
    private readonly service: OrderCanceller,
    pickLimit: number,
  ) {
    super(OrderDialogIds.cancel, base, service, pickLimit);
    this.addDialog(new KefuPrompt(PromptIds.confirm, yesNo));
    this.addDialog(
      new WaterfallDialog(OrderDialogIds.cancelWaterfall, [this.chooseOrderStep.bind(this), this.confirmStep.bind(this), this.cancelStep.bind(this)]),
    );
    this.initialDialogId = OrderDialogIds.cancelWaterfall;
  }

  private async confirmStep(step: WaterfallStepContext<OrderDialogOptions>): Promise<DialogTurnResult> {
    const loaded = await this.loadOrder(step);
    if ('end' in loaded) return loaded.end;
    const { order } = loaded;
    if (!isBeforeShipment(order.status)) return this.refuse(step, order);
    return step.prompt(PromptIds.confirm, {
      prompt: this.t(step.context, 'orders.cancel.confirm', { number: order.number, items: this.itemsText(step.context, order), total: formatYuan(order.total) }),
      ...this.retry(step.context, 'dialogs.common.yesNoRetry'),
      choices: [button(YES, this.t(step.context, 'orders.cancel.yes')), button(NO, this.t(step.context, 'orders.cancel.no'))],
    });
  }

  private async cancelStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.applyConfirmedChange(
      step,
      'orders.cancel.kept',
      (customerId, number) => this.service.cancel(customerId, number, { type: 'customer', id: customerId }),
      // A paid order's cancellation waits for the shop: the customer hears its answer later (src/features/shop).
      (order) => ({ key: order.status === 'PAID' && order.cancelRequestedAt ? 'orders.cancel.submitted' : order.paidAt !== null ? 'orders.cancel.donePaid' : 'orders.cancel.done', vars: { total: formatYuan(order.total) } }),
      (s, order) => this.refuse(s, order),
    );
  }

  /** Shipped, delivered, cancelled or returned: say why it cannot be cancelled, and what can be done. */
  private async refuse(step: WaterfallStepContext, order: OrderWithItems): Promise<DialogTurnResult> {
    await step.context.sendActivity(this.refusal(step.context, order));
    return this.end(step, { outcome: 'refused', orderNumber: order.number });
  }

  private refusal(context: TurnContext, order: OrderWithItems) {
    const status = this.statusName(context, order.status);
    if (order.status === 'CANCELLED') return this.t(context, 'orders.cancel.alreadyCancelled', { number: order.number });
    if (order.status === 'SHIPPED') return withButtons(this.t(context, 'orders.cancel.shipped', { number: order.number, status }), [this.t(context, 'orders.menu.orderStatus')]);
    if (order.status === 'DELIVERED') return withButtons(this.t(context, 'orders.cancel.delivered', { number: order.number }), [this.t(context, 'returns.menu')]);
    return this.t(context, 'orders.cancel.notPossible', { number: order.number, status });
  }
}
