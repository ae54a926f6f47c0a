import { foldText } from '../../nlu/normalize';
import type { TurnContext } from 'botbuilder';
import { SUPPORTED_LOCALES } from '../../config/locales';
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { OrderWithItems } from './orderService';
import { formatYuan } from '../../../dialogs/format';
import { OrderDialogIds } from './ids';
import type { DialogBase } from '../../../dialogs/kefuDialog';
import { OrderDialog, type OrderDialogOptions, type OrderLookup } from './orderDialog';
import { detailsReply } from '../../bot/cards';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Step value: the question said the goods never came. */
const NOT_RECEIVED = 'notReceived';

export interface OrderStatusDialogDeps {
  orders: OrderLookup;
  pickLimit: number;
  /** Days from shipment to the expected delivery. */
  deliveryEstimateDays: number;
}

/** "Where is my order?": status, items, carrier, tracking number, shipped / expected or actual delivery. */
export class OrderStatusDialog extends OrderDialog {
  constructor(
    base: DialogBase,
    private readonly deps: OrderStatusDialogDeps,
  ) {
    super(OrderDialogIds.status, base, deps.orders, deps.pickLimit);
    this.addDialog(new WaterfallDialog(OrderDialogIds.statusWaterfall, [this.chooseOrderStep.bind(this), this.showStep.bind(this)]));
    this.initialDialogId = OrderDialogIds.statusWaterfall;
    this.notReceivedWords = SUPPORTED_LOCALES.flatMap((l) => this.base.i18n.list(l, 'orders.notReceivedWords')).map(foldText);
    this.deliveredClaimWords = SUPPORTED_LOCALES.flatMap((l) => this.base.i18n.list(l, 'orders.deliveredClaimWords')).map(foldText);
  }

  private readonly notReceivedWords: string[];
  private readonly deliveredClaimWords: string[];

  private saysNotReceived(folded: string): boolean {
    return this.notReceivedWords.some((w) => folded.includes(w));
  }

  /**
   * Also keeps whether the customer's question says the goods never came ("显示签收了但我没收到"): a
   * delivered order then says what to do. (In the first step, not a step of its own: the waterfall's
   * steps stay those of conversations saved before.)
   */
  protected override async chooseOrderStep(step: WaterfallStepContext<OrderDialogOptions>): Promise<DialogTurnResult> {
    this.remember(step, NOT_RECEIVED, this.saysNotReceived(foldText(step.context.activity.text ?? '')));
    return super.chooseOrderStep(step);
  }

  /**
   * "我的快递怎么还没到", "where is my package": a question about a delivery means the orders still to
   * come (paid or shipped; orders.inTransitWords): the one on its way is shown at once, several are
   * offered. With none to come, every recent order is offered.
   */
  protected override meant(context: TurnContext, recent: OrderWithItems[]): OrderWithItems[] {
    const text = foldText(context.activity.text ?? '');
    // "显示签收了但我没收到": the orders the carrier reports delivered.
    const delivered = recent.filter((o) => o.status === 'DELIVERED');
    if (delivered.length > 0 && this.saysNotReceived(text) && this.deliveredClaimWords.some((w) => text.includes(w))) return delivered;
    const words = SUPPORTED_LOCALES.flatMap((l) => this.base.i18n.list(l, 'orders.inTransitWords'));
    const coming = recent.filter((o) => o.status === 'PAID' || o.status === 'SHIPPED');
    return coming.length > 0 && words.some((w) => text.includes(w.toLowerCase())) ? coming : recent;
  }

  private async showStep(step: WaterfallStepContext<OrderDialogOptions>): Promise<DialogTurnResult> {
    const loaded = await this.loadOrder(step);
    if ('end' in loaded) return loaded.end;
    const { order } = loaded;
    const lines = this.describe(step.context, order);
    const deliveredAt = order.status === 'DELIVERED' && this.recall<boolean>(step, NOT_RECEIVED) ? order.deliveredAt : null;
    const missing = deliveredAt !== null;
    if (deliveredAt) lines.push(this.t(step.context, 'orders.tracking.deliveredNotReceived', { at: this.dateTime(step.context, deliveredAt) }));
    const next = missing ? [this.t(step.context, 'complaints.menu'), this.t(step.context, 'messages.menu.human')] : this.nextActions(step.context, order);
    // Each button carries the order (messageBack): "退换货" below it starts the return of this order.
    const actions = next.map((title) => ({ type: 'messageBack', title, text: title, displayText: title, value: { orderNumber: order.number } }));
    await step.context.sendActivity(detailsReply(step.context.activity.channelId, lines, actions));
    return this.end(step, { outcome: 'done', orderNumber: order.number });
  }

  /** The order in full, one fact per line. */
  describe(context: TurnContext, order: OrderWithItems): string[] {
    const lines = [
      this.t(context, 'orders.tracking.title', { number: order.number, date: this.date(context, order.createdAt) }),
      this.t(context, 'orders.tracking.status', { status: this.statusName(context, order.status) }),
      this.t(context, 'orders.tracking.items', { items: this.itemsText(context, order) }),
      this.t(context, order.status === 'CREATED' ? 'orders.tracking.totalDue' : 'orders.tracking.total', { total: formatYuan(order.total) }),
    ];
    if (order.carrier) lines.push(this.t(context, 'orders.tracking.carrier', { carrier: order.carrier, tracking: order.trackingNumber ?? '-' }));
    if (order.shippedAt) lines.push(this.t(context, 'orders.tracking.shipped', { at: this.dateTime(context, order.shippedAt) }));
    if (order.deliveredAt) {
      lines.push(this.t(context, 'orders.tracking.delivered', { at: this.dateTime(context, order.deliveredAt) }));
    } else if (order.status === 'SHIPPED' && order.shippedAt) {
      const expected = new Date(order.shippedAt.getTime() + this.deps.deliveryEstimateDays * DAY_MS);
      lines.push(this.t(context, 'orders.tracking.expected', { date: this.date(context, expected) }));
    }
    if (order.cancelledAt) lines.push(this.t(context, 'orders.tracking.cancelled', { at: this.dateTime(context, order.cancelledAt) }));
    if (order.returnedAt) lines.push(this.t(context, 'orders.tracking.returned', { at: this.dateTime(context, order.returnedAt) }));
    if (order.status === 'CREATED' || order.status === 'PAID') lines.push(this.t(context, 'orders.tracking.notShipped'));
    return lines;
  }

  /** What the customer can do next with this order (menu labels, so a click routes there). */
  private nextActions(context: TurnContext, order: OrderWithItems): string[] {
    if (order.status === 'CREATED' || order.status === 'PAID') return [this.t(context, 'orders.menu.cancelOrder'), this.t(context, 'orders.menu.changeAddress')];
    if (order.status === 'DELIVERED') return [this.t(context, 'returns.menu'), this.t(context, 'repairs.menu')];
    return [];
  }
}
