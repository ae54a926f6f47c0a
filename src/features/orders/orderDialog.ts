import type { TurnContext } from 'botbuilder';
import type { Choice, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { turnInfo, turnRecognition } from '../../bot/turnState';
import type { OrderChange, OrderStatus, OrderWithItems } from './orderService';
import type { Vars } from '../../i18n/i18n';
import { formatYuan } from '../../../dialogs/format';
import { PromptIds, StepValues } from '../../../dialogs/ids';
import { KefuDialog, type DialogBase } from '../../../dialogs/kefuDialog';
import { KefuPrompt, button, type PromptInput, type PromptOutcome } from '../../../dialogs/prompts/kefuPrompt';
import { pickChoice, pickValue } from '../../../dialogs/prompts/parsers';

/** What the order dialogs need from the order service (src/crm/orders.ts OrderService). */
export interface OrderLookup {
  recent(customerId: string, limit: number, statuses?: readonly OrderStatus[]): Promise<OrderWithItems[]>;
  findForCustomer(customerId: string, number: string): Promise<OrderWithItems | undefined>;
}

export interface OrderDialogOptions {
  /** The order to work on; otherwise the one in the customer's message, otherwise they pick one. */
  orderNumber?: string;
}

/** The order number in this turn's message, if any. */
export function orderNumberIn(context: TurnContext): string | undefined {
  const entity = turnRecognition(context)?.entities.find((e) => e.type === 'order_number');
  return entity ? String(entity.value) : undefined;
}

/** Every name an item goes by (Chinese and English). */
export function itemNames(items: { name: string; nameEn: string | null }[]): string[] {
  return items.flatMap((i) => (i.nameEn ? [i.name, i.nameEn] : [i.name]));
}

/** The choice the message that started this step (or `words`, said earlier) already names (by a distinctive part of its label), if any. */
export function saidChoice(context: TurnContext, choices: Choice[], words: unknown = context.activity.text): Choice | undefined {
  const text = typeof words === 'string' ? words.trim() : '';
  if (!text) return undefined;
  return pickChoice({ context, text, locale: turnInfo(context).locale, recognition: undefined, choices });
}

/** "最新那个", "the latest one": the first of a list of orders, newest first. */
const NEWEST = /最新|最近(?:的)?(?:那|一)|latest|newest|most recent/i;

/** An answer to "which order?": a button, "the second one", "最新那个", "杯子那单", or any order number typed. */
export function pickOrderNumber(input: PromptInput): string | undefined {
  if (NEWEST.test(input.text) && input.choices.length > 0) return input.choices[0].value;
  const picked = pickValue(input);
  if (picked) return picked;
  const entity = input.recognition?.entities.find((e) => e.type === 'order_number');
  return entity ? String(entity.value) : undefined;
}

export type LoadedOrder = { order: OrderWithItems } | { end: DialogTurnResult };

/**
 * A dialog about one of the customer's orders: the first two steps find the order (from the message,
 * or from a list of recent orders to pick), always among the customer's own orders.
 */
export abstract class OrderDialog extends KefuDialog {
  /** The orders offered in the pick list (all when undefined). */
  protected offeredStatuses: readonly OrderStatus[] | undefined;

  protected constructor(
    dialogId: string,
    base: DialogBase,
    protected readonly orders: OrderLookup,
    protected readonly pickLimit: number,
  ) {
    super(dialogId, base);
    this.addDialog(new KefuPrompt(PromptIds.order, pickOrderNumber));
  }

  /** Step: sign-in gate, then the order from the options or the message, or a list to pick from. */
  protected async chooseOrderStep(step: WaterfallStepContext<OrderDialogOptions>): Promise<DialogTurnResult> {
    const gate = await this.requireSignIn(step);
    if (gate) return gate;
    const number = step.options?.orderNumber ?? orderNumberIn(step.context);
    if (number) {
      const given: PromptOutcome<string> = { ok: true, value: number };
      return step.next(given);
    }
    const all = await this.orders.recent(turnInfo(step.context).customerId, this.pickLimit, this.offeredStatuses);
    if (all.length === 0) {
      await this.say(step.context, this.offeredStatuses ? 'orders.noneSuitable' : 'orders.none');
      return this.end(step, { outcome: 'refused' });
    }
    // "杯子那单退了吧": the message already says which order (by one of its items).
    const said = this.namedOrder(step.context, all);
    const recent = this.meant(step.context, all);
    const picked = said ?? (recent !== all && recent.length === 1 ? recent[0].number : undefined);
    if (picked) {
      const given: PromptOutcome<string> = { ok: true, value: picked };
      return step.next(given);
    }
    return step.prompt(PromptIds.order, {
      prompt: [this.t(step.context, 'orders.pick'), ...recent.map((o, i) => this.orderLine(step.context, o, i + 1))].join('\n'),
      ...this.retry(step.context, 'orders.pickRetry'),
      choices: recent.map((o) => this.orderButton(step.context, o)),
    });
  }

  /** The number of the order among `orders` whose item (or number) the message names ("杯子那单"), the newest first. */
  protected namedOrder(context: TurnContext, orders: OrderWithItems[]): string | undefined {
    return saidChoice(context, orders.map((o) => this.orderButton(context, o)))?.value;
  }

  /** The orders this dialog can work on, offered first (the others only when there are none of them). */
  protected workable: ((order: OrderWithItems) => boolean) | undefined;

  /** The orders the customer's message can mean, of their recent ones: the workable ones, or all. */
  protected meant(_context: TurnContext, recent: OrderWithItems[]): OrderWithItems[] {
    const workable = this.workable ? recent.filter(this.workable) : [];
    return workable.length > 0 ? workable : recent;
  }

  /**
   * The last step of a confirmed order change (cancel, new address): a "no" keeps the order
   * (`keptKey`); a "yes" applies the change and says `done(order)`, "not found", or why not (`refuse`).
   */
  protected async applyConfirmedChange(
    step: WaterfallStepContext,
    keptKey: string,
    apply: (customerId: string, number: string) => Promise<OrderChange>,
    done: (order: OrderWithItems) => { key: string; vars: Vars },
    refuse: (step: WaterfallStepContext, order: OrderWithItems) => Promise<DialogTurnResult>,
  ): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<boolean>;
    if (!answer.ok) return this.giveUp(step);
    const number = this.recall<string>(step, StepValues.order);
    if (!answer.value) {
      await this.say(step.context, keptKey, { number });
      return this.end(step, { outcome: 'declined', orderNumber: number });
    }
    const change = await apply(turnInfo(step.context).customerId, number);
    if (change.ok) {
      const { key, vars } = done(change.order);
      await this.say(step.context, key, { number, ...vars });
      return this.end(step, { outcome: 'done', orderNumber: number });
    }
    if (change.reason === 'not_found') {
      await this.say(step.context, 'orders.notFound', { number });
      return this.end(step, { outcome: 'refused' });
    }
    return refuse(step, change.order);
  }

  protected async loadOrder(step: WaterfallStepContext): Promise<LoadedOrder> {
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return { end: await this.giveUp(step) };
    const order = await this.orders.findForCustomer(turnInfo(step.context).customerId, answer.value);
    if (!order) {
      await this.say(step.context, 'orders.notFound', { number: answer.value.toUpperCase() });
      return { end: await this.end(step, { outcome: 'refused' }) };
    }
    this.remember(step, StepValues.order, order.number);
    return { order };
  }

  /** The order again in a later step (dialog state keeps only its number). */
  protected async reloadOrder(step: WaterfallStepContext): Promise<OrderWithItems | undefined> {
    const number = this.recall<string | undefined>(step, StepValues.order);
    return number ? this.orders.findForCustomer(turnInfo(step.context).customerId, number) : undefined;
  }

  protected itemName(context: TurnContext, item: { name: string; nameEn: string | null }): string {
    return this.locale(context) === 'en-US' ? (item.nameEn ?? item.name) : item.name;
  }

  protected itemsText(context: TurnContext, order: OrderWithItems): string {
    return order.items
      .map((i) => this.t(context, 'orders.item', { name: this.itemName(context, i), quantity: i.quantity, price: formatYuan(i.unitPrice) }))
      .join(this.t(context, 'orders.itemSeparator'));
  }

  protected statusName(context: TurnContext, status: OrderStatus): string {
    return this.t(context, `orders.status.${status}`);
  }

  private orderLine(context: TurnContext, order: OrderWithItems, index: number): string {
    return this.t(context, 'orders.line', {
      index,
      number: order.number,
      date: this.date(context, order.createdAt),
      status: this.statusName(context, order.status),
      total: formatYuan(order.total),
      items: this.itemsText(context, order),
    });
  }

  /** An order's button: its number and first item; every item's name (both languages) picks it too. */
  private orderButton(context: TurnContext, order: OrderWithItems): Choice {
    const first = order.items[0];
    const title = this.t(context, 'orders.button', { number: order.number, item: first ? this.itemName(context, first) : '' });
    return button(order.number, title, itemNames(order.items));
  }
}
