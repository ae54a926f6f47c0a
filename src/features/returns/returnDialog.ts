import type { TurnContext } from 'botbuilder';
import { WaterfallDialog, type Choice, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { photoUrls } from '../../bot/photos';
import { turnInfo } from '../../bot/turnState';
import { formatYuan } from '../../../dialogs/format';
import { PromptIds, StepValues } from '../../../dialogs/ids';
import { ReturnDialogIds } from './ids';
import type { DialogBase } from '../../../dialogs/kefuDialog';
import { OrderDialog, itemNames, orderNumberIn, returnWindow, saidChoice, type OrderDialogOptions, type OrderLookup, type OrderWithItems } from '../orders';
import { KefuPrompt, button, withButtons, type PromptInput, type PromptOutcome } from '../../../dialogs/prompts/kefuPrompt';
import { NO, UNSURE, YES, classifier, pickOrClassify, pickValue, yesNo } from '../../../dialogs/prompts/parsers';
import type { TicketDesk } from '../tickets';
import { mentionsName } from '../../../dialogs/prompts/reference';

/** Orders still to come: paid or not, shipped, not yet delivered. */
const COMING = new Set(['CREATED', 'PAID', 'SHIPPED']);

export type ReturnKind = 'return' | 'exchange';
export type ReturnReason = 'quality' | 'change_of_mind';

export interface ReturnDialogOptions extends OrderDialogOptions {
  /** Return or exchange; asked when not given. */
  kind?: ReturnKind;
}

export interface ReturnDialogDeps {
  orders: OrderLookup;
  tickets: TicketDesk;
  pickLimit: number;
  /** Days after delivery within which a return is accepted. */
  windowDays: number;
  /** Return shipping a change of mind pays, in fen. */
  returnShippingFen: number;
}

const ALL_ITEMS = 'all';
const SKIP = 'skip';
const KINDS: ReturnKind[] = ['return', 'exchange'];
const REASONS: ReturnReason[] = ['quality', 'change_of_mind'];
/** What the customer said in their own words about the reason (kept for the agent). */
const SAID_REASON = 'saidReason';

/** Photos of the problem: image attachments (their URLs), or "skip" in the button's or the customer's words ("没有照片", "I don't have a photo"). */
export function photosParser(saysNoPhotos: (text: string) => boolean) {
  return (input: PromptInput): string[] | undefined => {
    const images = photoUrls(input.context.activity);
    if (images.length > 0) return images;
    if (pickValue(input) === SKIP || yesNo(input) === false || saysNoPhotos(input.text)) return [];
    return undefined;
  };
}

/**
 * Return or exchange: the order (delivered, within the window counted from delivery), the item,
 * the reason (quality problem: free; change of mind: the customer pays the return shipping, told
 * before they confirm), photos (optional), then a return / exchange ticket with its reply deadline.
 */
export class ReturnDialog extends OrderDialog {
  protected override offeredStatuses = ['DELIVERED'] as const;
  private readonly classifyReason: (text: string) => string | undefined;

  constructor(
    base: DialogBase,
    private readonly deps: ReturnDialogDeps,
  ) {
    super(ReturnDialogIds.returns, base, deps.orders, deps.pickLimit);
    this.classifyReason = classifier(base.i18n, { quality: 'returns.reasonCues.quality', change_of_mind: 'returns.reasonCues.change_of_mind' });
    this.addDialog(new KefuPrompt(PromptIds.choice, pickValue));
    this.addDialog(new KefuPrompt(PromptIds.text, pickOrClassify(this.classifyReason)));
    this.addDialog(new KefuPrompt(ReturnDialogIds.reasonPrompt, (input) => pickValue(input) ?? this.classifyReason(input.text)));
    this.addDialog(new KefuPrompt(PromptIds.items, pickValue));
    const noPhotos = classifier(base.i18n, { skip: 'returns.noPhotoCues' });
    this.addDialog(new KefuPrompt(PromptIds.photos, photosParser((text) => noPhotos(text) === 'skip')));
    this.addDialog(new KefuPrompt(PromptIds.confirm, yesNo));
    this.addDialog(
      new WaterfallDialog(ReturnDialogIds.returnsWaterfall, [
        this.kindStep.bind(this),
        this.orderStep.bind(this),
        this.itemsStep.bind(this),
        this.reasonStep.bind(this),
        this.confirmReasonStep.bind(this),
        this.photosStep.bind(this),
        this.confirmStep.bind(this),
        this.openStep.bind(this),
      ]),
    );
    this.initialDialogId = ReturnDialogIds.returnsWaterfall;
  }

  private async kindStep(step: WaterfallStepContext<ReturnDialogOptions>): Promise<DialogTurnResult> {
    const gate = await this.requireSignIn(step);
    if (gate) return gate;
    // "不想要了能退吗", "收到的杯子是坏的": the reason is already said.
    this.learnReason(step);
    const kind = step.options?.kind;
    if (kind) {
      const given: PromptOutcome<string> = { ok: true, value: kind };
      return step.next(given);
    }
    return step.prompt(PromptIds.choice, {
      prompt: this.t(step.context, 'returns.askKind'),
      ...this.retry(step.context, 'dialogs.common.pickRetry'),
      choices: KINDS.map((k) => button(k, this.t(step.context, `returns.kind.${k}`))),
    });
  }

  private async orderStep(step: WaterfallStepContext<ReturnDialogOptions>): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return this.giveUp(step);
    this.remember(step, StepValues.kind, answer.value);
    this.learnReason(step);
    const coming = await this.comingWithNamedItem(step);
    if (coming) return step.next({ ok: true, value: coming } satisfies PromptOutcome<string>);
    return this.chooseOrderStep(step);
  }

  /**
   * "the scarf I ordered is the wrong colour", with no delivered scarf still returnable: the order
   * with that item still to come (the customer is told when returns open), not an older delivered
   * one past its window.
   */
  private async comingWithNamedItem(step: WaterfallStepContext<ReturnDialogOptions>): Promise<string | undefined> {
    if (step.options?.orderNumber || orderNumberIn(step.context)) return undefined;
    const text = step.context.activity.text ?? '';
    const recent = await this.deps.orders.recent(turnInfo(step.context).customerId, this.pickLimit);
    const naming = recent.filter((o) => mentionsName(text, itemNames(o.items)));
    if (naming.some((o) => returnWindow(o, this.deps.windowDays, this.now()).state === 'open')) return undefined;
    return naming.find((o) => COMING.has(o.status))?.number;
  }

  private async itemsStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const loaded = await this.loadOrder(step);
    if ('end' in loaded) return loaded.end;
    this.learnReason(step);
    const { order } = loaded;
    const window = returnWindow(order, this.deps.windowDays, this.now());
    if (window.state !== 'open') return this.refuse(step, order, window.state === 'closed' ? window.deadline : undefined);
    this.remember(step, StepValues.deadline, window.deadline.toISOString());
    // One open return or exchange per item: items already in one are not offered again.
    const open = await this.deps.tickets.openReturns(order.id);
    const busy = order.items.filter((i) => open.some((t) => t.orderItemId === null || t.orderItemId === i.id));
    const free = order.items.filter((i) => !busy.includes(i));
    for (const item of busy) {
      const ticket = open.find((t) => t.orderItemId === item.id) ?? open.find((t) => t.orderItemId === null);
      await this.say(step.context, 'returns.alreadyOpen', { item: this.itemName(step.context, item), number: ticket?.number ?? '-' });
    }
    if (free.length === 0) return this.end(step, { outcome: 'refused', orderNumber: order.number });
    if (free.length === 1) {
      const only: PromptOutcome<string> = { ok: true, value: free[0].id };
      return step.next(only);
    }
    const items = free.map((i) => button(i.id, this.t(step.context, 'returns.itemButton', { name: this.itemName(step.context, i), quantity: i.quantity }), itemNames([i])));
    // "围巾那单退货": the item is already said (in the message that picked the order, or that started the dialog).
    const said = saidChoice(step.context, items);
    if (said) {
      const given: PromptOutcome<string> = { ok: true, value: said.value };
      return step.next(given);
    }
    return step.prompt(PromptIds.items, {
      prompt: this.t(step.context, 'returns.askItems', { number: order.number, deadline: this.dateTime(step.context, window.deadline) }),
      ...this.retry(step.context, 'dialogs.common.pickRetry'),
      choices: busy.length ? items : [...items, button(ALL_ITEMS, this.t(step.context, 'returns.allItems'))],
    });
  }

  /** The reason: already said, a button, or the customer's own words ("坏了啊 里面的棉都塌了"). */
  private async reasonStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return this.giveUp(step);
    this.remember(step, StepValues.items, answer.value);
    const known = this.recall<string | undefined>(step, StepValues.reason);
    if (known) {
      const given: PromptOutcome<string> = { ok: true, value: known };
      return step.next(given);
    }
    return step.prompt(PromptIds.text, {
      prompt: this.t(step.context, 'returns.askReason'),
      ...this.retry(step.context, 'dialogs.common.pickRetry'),
      choices: this.reasonButtons(step.context),
    });
  }

  /** A reason said along the way ("KF… 那单 杯子是坏的"), kept when none is known yet. */
  private learnReason(step: WaterfallStepContext): void {
    if (this.recall<string | undefined>(step, StepValues.reason)) return;
    const said = step.context.activity.text ?? '';
    const reason = this.classifyReason(said);
    if (!reason) return;
    this.remember(step, StepValues.reason, reason);
    this.remember(step, SAID_REASON, said);
  }

  /** Words that fit neither reason: ask which it is, with the two buttons. */
  private async confirmReasonStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return this.giveUp(step);
    if (answer.value !== UNSURE) return step.next(answer);
    this.remember(step, SAID_REASON, step.context.activity.text ?? '');
    return step.prompt(ReturnDialogIds.reasonPrompt, {
      prompt: this.t(step.context, 'returns.reasonUnsure'),
      ...this.retry(step.context, 'dialogs.common.pickRetry'),
      choices: this.reasonButtons(step.context),
    });
  }

  private reasonButtons(context: TurnContext) {
    return REASONS.map((r) => button(r, this.t(context, `returns.reason.${r}`)));
  }

  private async photosStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return this.giveUp(step);
    this.remember(step, StepValues.reason, answer.value);
    if (!this.recall<string | undefined>(step, SAID_REASON) && !REASONS.some((r) => this.t(step.context, `returns.reason.${r}`) === (step.context.activity.text ?? '').trim())) {
      this.remember(step, SAID_REASON, step.context.activity.text ?? '');
    }
    return step.prompt(PromptIds.photos, {
      prompt: this.t(step.context, answer.value === 'quality' ? 'returns.askPhotosQuality' : 'returns.askPhotos'),
      ...this.retry(step.context, 'returns.photosRetry'),
      choices: [button(SKIP, this.t(step.context, 'returns.skipPhotos'))],
    });
  }

  /** The terms before the customer commits: who pays the return shipping, and until when. */
  private async confirmStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string[]>;
    if (!answer.ok) return this.giveUp(step);
    this.remember(step, StepValues.photos, answer.value);
    const order = await this.reloadOrder(step);
    if (!order) return this.end(step, { outcome: 'refused' });
    const vars = {
      kind: this.t(step.context, `returns.kind.${this.recall<ReturnKind>(step, StepValues.kind)}`),
      number: order.number,
      items: this.chosenItems(step.context, order, this.recall<string>(step, StepValues.items)),
      deadline: this.dateTime(step.context, new Date(this.recall<string>(step, StepValues.deadline))),
      fee: formatYuan(this.deps.returnShippingFen),
    };
    const terms = this.recall<ReturnReason>(step, StepValues.reason) === 'quality' ? 'returns.termsQuality' : 'returns.termsChangeOfMind';
    return step.prompt(PromptIds.confirm, {
      prompt: [this.t(step.context, 'returns.summary', vars), this.t(step.context, terms, vars), this.t(step.context, 'returns.confirm')].join('\n'),
      ...this.retry(step.context, 'dialogs.common.yesNoRetry'),
      choices: [button(YES, this.t(step.context, 'returns.yes')), button(NO, this.t(step.context, 'dialogs.common.no'))],
    });
  }

  private async openStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<boolean>;
    if (!answer.ok) return this.giveUp(step);
    const order = await this.reloadOrder(step);
    if (!order) return this.end(step, { outcome: 'refused' });
    if (!answer.value) {
      await this.say(step.context, 'returns.declined');
      return this.end(step, { outcome: 'declined', orderNumber: order.number });
    }
    const kind = this.recall<ReturnKind>(step, StepValues.kind);
    const { customerId, conversationId } = turnInfo(step.context);
    const ticket = await this.deps.tickets.open({
      customerId,
      conversationId,
      orderId: order.id,
      orderItemId: this.recall<string>(step, StepValues.items) === ALL_ITEMS ? null : this.recall<string>(step, StepValues.items),
      category: kind,
      summary: this.ticketSummary(step, order),
      locale: this.locale(step.context),
      actor: { type: 'customer', id: customerId },
    });
    await this.say(step.context, 'returns.opened', {
      kind: this.t(step.context, `returns.kindInSentence.${kind}`),
      number: ticket.number,
      due: ticket.dueAt ? this.dateTime(step.context, ticket.dueAt) : '-',
    });
    return this.end(step, { outcome: 'done', ticketNumber: ticket.number, orderNumber: order.number });
  }

  /** What the agent reads: order, items, reason, who pays the shipping, the photos' URLs. */
  private ticketSummary(step: WaterfallStepContext, order: OrderWithItems): string {
    const reason = this.recall<ReturnReason>(step, StepValues.reason);
    const photos = this.recall<string[] | undefined>(step, StepValues.photos) ?? [];
    return this.t(step.context, 'returns.ticketSummary', {
      kind: this.t(step.context, `returns.kind.${this.recall<ReturnKind>(step, StepValues.kind)}`),
      number: order.number,
      items: this.chosenItems(step.context, order, this.recall<string>(step, StepValues.items)),
      reason: this.reasonForAgent(step, reason),
      shipping: reason === 'quality' ? this.t(step.context, 'returns.shippingFree') : this.t(step.context, 'returns.shippingPaid', { fee: formatYuan(this.deps.returnShippingFen) }),
      photos: photos.length ? photos.join(' ') : this.t(step.context, 'returns.noPhotos'),
    });
  }

  /** The reason, with the customer's own words when they gave some ("质量问题（“坏了啊 里面的棉都塌了”）"). */
  private reasonForAgent(step: WaterfallStepContext, reason: ReturnReason): string {
    const label = this.t(step.context, `returns.reason.${reason}`);
    const said = (this.recall<string | undefined>(step, SAID_REASON) ?? '').trim();
    return said && said !== label ? this.t(step.context, 'returns.reasonWithWords', { reason: label, words: said.slice(0, 300) }) : label;
  }

  private chosenItems(context: TurnContext, order: OrderWithItems, itemId: string): string {
    const items = itemId === ALL_ITEMS ? order.items : order.items.filter((i) => i.id === itemId);
    return items.map((i) => this.t(context, 'returns.itemButton', { name: this.itemName(context, i), quantity: i.quantity })).join(this.t(context, 'orders.itemSeparator'));
  }

  /**
   * Not delivered yet, or the window has closed: explain, and offer a complaint or a person; a faulty
   * item past the window ("the kettle arrived broken", weeks later) is offered a repair first.
   */
  private async refuse(step: WaterfallStepContext, order: OrderWithItems, deadline: Date | undefined): Promise<DialogTurnResult> {
    const faulty = deadline !== undefined && this.recall<string | undefined>(step, StepValues.reason) === 'quality';
    const text = deadline
      ? this.t(step.context, faulty ? 'returns.windowClosedFaulty' : 'returns.windowClosed', { number: order.number, days: this.deps.windowDays, deadline: this.dateTime(step.context, deadline) })
      : this.t(step.context, 'returns.notDelivered', { number: order.number, status: this.statusName(step.context, order.status), days: this.deps.windowDays });
    const buttons: (string | Choice)[] = [this.t(step.context, 'complaints.menu'), this.t(step.context, 'messages.menu.human')];
    await step.context.sendActivity(withButtons(text, faulty ? [this.repairButton(step, order), ...buttons] : buttons));
    return this.end(step, { outcome: 'refused', orderNumber: order.number });
  }

  /**
   * "维修" after a return refused for a faulty item: when the item is known (the order's only one, or
   * the one the customer named), the button says "维修：电水壶", so the repair starts with that product.
   */
  private repairButton(step: WaterfallStepContext, order: OrderWithItems): string | Choice {
    const title = this.t(step.context, 'repairs.menu');
    const choices = order.items.map((i) => button(i.id, this.itemName(step.context, i), itemNames([i])));
    const said = order.items.length === 1 ? choices[0] : (saidChoice(step.context, choices) ?? saidChoice(step.context, choices, this.recall<string | undefined>(step, SAID_REASON)));
    const item = order.items.find((i) => i.id === said?.value);
    if (!item) return title;
    return { value: title, action: { type: 'imBack', title, value: this.t(step.context, 'returns.repairItem', { item: this.itemName(step.context, item) }) } };
  }
}
