import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Actor } from '../../crm/audit';
import { isBeforeShipment, type OrderChange, type OrderWithItems } from './orderService';
import { PromptIds, StepValues } from '../../../dialogs/ids';
import { OrderDialogIds } from './ids';
import type { DialogBase } from '../../../dialogs/kefuDialog';
import { OrderDialog, type OrderDialogOptions, type OrderLookup } from './orderDialog';
import { KefuPrompt, button, withButtons, type PromptOutcome } from '../../../dialogs/prompts/kefuPrompt';
import { NO, YES, addressIn, parseAddress, yesNo } from '../../../dialogs/prompts/parsers';

/** What the dialog needs from the order service. */
export interface AddressChanger extends OrderLookup {
  changeAddress(customerId: string, number: string, address: string, actor: Actor): Promise<OrderChange>;
}

/** Changes the delivery address of an order before shipment (validated, audit-logged). */
export class ChangeAddressDialog extends OrderDialog {
  /** Orders that have not shipped are offered first: a shipped one would be refused. */
  protected override workable = (order: OrderWithItems) => isBeforeShipment(order.status);

  constructor(
    base: DialogBase,
    private readonly service: AddressChanger,
    pickLimit: number,
  ) {
    super(OrderDialogIds.changeAddress, base, service, pickLimit);
    this.addDialog(new KefuPrompt(PromptIds.address, parseAddress));
    this.addDialog(new KefuPrompt(PromptIds.confirm, yesNo));
    this.addDialog(
      new WaterfallDialog(OrderDialogIds.changeAddressWaterfall, [
        this.orderStep.bind(this),
        this.askAddressStep.bind(this),
        this.confirmStep.bind(this),
        this.saveStep.bind(this),
      ]),
    );
    this.initialDialogId = OrderDialogIds.changeAddressWaterfall;
  }

  /** "地址写错了 改成 北京市朝阳区建国路88号": the new address is kept for later, then the order. */
  private async orderStep(step: WaterfallStepContext<OrderDialogOptions>): Promise<DialogTurnResult> {
    const said = addressIn(step.context.activity.text ?? '');
    if (said) this.remember(step, StepValues.value, said);
    return this.chooseOrderStep(step);
  }

  private async askAddressStep(step: WaterfallStepContext<OrderDialogOptions>): Promise<DialogTurnResult> {
    const loaded = await this.loadOrder(step);
    if ('end' in loaded) return loaded.end;
    const { order } = loaded;
    if (!isBeforeShipment(order.status)) return this.refuse(step, order);
    const said = this.recall<string | undefined>(step, StepValues.value) ?? addressIn(step.context.activity.text ?? '');
    if (said) return step.next({ ok: true, value: said } satisfies PromptOutcome<string>);
    return step.prompt(PromptIds.address, {
      prompt: this.t(step.context, 'orders.address.ask', { number: order.number, current: order.shippingAddress }),
      ...this.retry(step.context, 'orders.address.retry'),
    });
  }

  private async confirmStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return this.giveUp(step);
    this.remember(step, StepValues.value, answer.value);
    return step.prompt(PromptIds.confirm, {
      prompt: this.t(step.context, 'orders.address.confirm', { number: this.recall<string>(step, StepValues.order), address: answer.value }),
      ...this.retry(step.context, 'dialogs.common.yesNoRetry'),
      choices: [button(YES, this.t(step.context, 'dialogs.common.yes')), button(NO, this.t(step.context, 'dialogs.common.no'))],
    });
  }

  private async saveStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const address = this.recall<string>(step, StepValues.value);
    return this.applyConfirmedChange(
      step,
      'orders.address.kept',
      (customerId, number) => this.service.changeAddress(customerId, number, address, { type: 'customer', id: customerId }),
      (order) => ({ key: 'orders.address.done', vars: { address: order.shippingAddress } }),
      (s, order) => this.refuse(s, order),
    );
  }


  private async refuse(step: WaterfallStepContext, order: OrderWithItems): Promise<DialogTurnResult> {
    const status = this.statusName(step.context, order.status);
    const text = this.t(step.context, 'orders.address.tooLate', { number: order.number, status });
    const offers = order.status === 'SHIPPED' || order.status === 'DELIVERED' ? [this.t(step.context, 'returns.menu'), this.t(step.context, 'messages.menu.human')] : [];
    await step.context.sendActivity(offers.length ? withButtons(text, offers) : text);
    return this.end(step, { outcome: 'refused', orderNumber: order.number });
  }
}
