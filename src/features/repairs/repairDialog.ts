import { maskPhone } from '../../crm/masking';
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { turnInfo } from '../../bot/turnState';
import { PromptIds, StepValues } from '../../../dialogs/ids';
import { SUPPORTED_LOCALES } from '../../config/locales';
import { RepairDialogIds } from './ids';
import { KefuDialog, type DialogBase } from '../../../dialogs/kefuDialog';
import type { OrderLookup } from '../orders';
import { KefuPrompt, button, type PromptInput, type PromptOutcome } from '../../../dialogs/prompts/kefuPrompt';
import { NO, YES, freeText, parsePhone, pickChoice, yesNo } from '../../../dialogs/prompts/parsers';
import { saidChoice } from '../orders';
import { withoutNames } from '../../../dialogs/prompts/reference';
import type { TicketDesk } from '../tickets';

/** The phone on the customer's account (CustomerService). */
export interface PhoneOnFile {
  get(customerId: string): Promise<{ phone: string | null } | null>;
}

export interface RepairDialogDeps {
  orders: OrderLookup;
  customers: PhoneOnFile;
  tickets: TicketDesk;
  /** How many delivered orders' items are offered. */
  pickLimit: number;
}

/** The product to repair: an item of a delivered order (value "<orderId>|<item name>"), or its name typed. */
interface Product {
  name: string;
  orderId?: string;
  /** What is wrong, when the message that named the product told it too ("耳机左边没声音了"). */
  told?: string;
}

function parseProduct(input: PromptInput): Product | undefined {
  const picked = pickChoice(input);
  if (picked) {
    const [orderId, ...name] = picked.value.split('|');
    return { orderId, name: name.join('|') };
  }
  // "the blender" / "my blender" / "我的电饭煲": the name alone, so "What's wrong with your blender?" reads right.
  const typed = freeText(2, 100)(input)?.replace(/^(?:(?:the|my|a|an|our)\s+|我的|我家的|我们的|这个|那个)/i, '');
  return typed ? { name: typed } : undefined;
}

/** "Use this number?": a yes or no, or another number typed right away. */
function parsePhoneOrYesNo(input: PromptInput): string | undefined {
  const phone = parsePhone(input);
  if (phone) return phone;
  const picked = pickChoice(input)?.value;
  if (picked === YES || picked === NO) return picked;
  const answer = yesNo(input);
  return answer === undefined ? undefined : answer ? YES : NO;
}

/** Repair: which product, what is wrong, a phone number to call back; opens a repair ticket (contact within 2 working days). */
export class RepairDialog extends KefuDialog {
  constructor(
    base: DialogBase,
    private readonly deps: RepairDialogDeps,
  ) {
    super(RepairDialogIds.repair, base);
    this.addDialog(new KefuPrompt(PromptIds.choice, parseProduct));
    this.addDialog(new KefuPrompt(PromptIds.text, freeText(4, 1000)));
    this.addDialog(new KefuPrompt(PromptIds.phone, parsePhone));
    this.addDialog(new KefuPrompt(PromptIds.confirm, parsePhoneOrYesNo));
    this.addDialog(
      new WaterfallDialog(RepairDialogIds.repairWaterfall, [
        this.productStep.bind(this),
        this.problemStep.bind(this),
        this.phoneOnFileStep.bind(this),
        this.phoneStep.bind(this),
        this.openStep.bind(this),
      ]),
    );
    this.initialDialogId = RepairDialogIds.repairWaterfall;
  }

  private async productStep(step: WaterfallStepContext<{ orderNumber?: string }>): Promise<DialogTurnResult> {
    const gate = await this.requireSignIn(step);
    if (gate) return gate;
    const recent = await this.deps.orders.recent(turnInfo(step.context).customerId, this.deps.pickLimit, ['DELIVERED']);
    // Started from the "维修" button below an order: that order's items only (its one item at once).
    const fromOrder = recent.filter((o) => o.number === step.options?.orderNumber);
    const delivered = fromOrder.length > 0 ? fromOrder : recent;
    const seen = new Set<string>();
    const choices = delivered.flatMap((o) =>
      o.items
        .filter((i) => !seen.has(i.sku) && seen.add(i.sku))
        .map((i) => {
          const name = this.locale(step.context) === 'en-US' ? (i.nameEn ?? i.name) : i.name;
          return button(`${o.id}|${name}`, name);
        }),
    );
    // "我的台灯不亮了": the product is already said, and maybe what is wrong with it.
    const said = fromOrder.length > 0 && choices.length === 1 ? choices[0] : saidChoice(step.context, choices);
    if (said) {
      const [orderId, ...name] = said.value.split('|');
      const names = delivered.flatMap((o) => o.items.flatMap((i) => (i.nameEn ? [i.name, i.nameEn] : [i.name])));
      const told = this.problemIn(step.context.activity.text ?? '', names);
      const given: PromptOutcome<Product> = { ok: true, value: { orderId, name: name.join('|'), told } };
      return step.next(given);
    }
    return step.prompt(PromptIds.choice, {
      prompt: this.t(step.context, choices.length ? 'repairs.askProduct' : 'repairs.askProductTyped'),
      ...this.retry(step.context, 'repairs.productRetry'),
      choices: choices.slice(0, 8),
    });
  }

  private async problemStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<Product>;
    if (!answer.ok) return this.giveUp(step);
    const { told, ...product } = answer.value;
    this.remember(step, StepValues.product, product);
    if (told) return step.next({ ok: true, value: told } satisfies PromptOutcome<string>);
    return step.prompt(PromptIds.text, {
      prompt: this.t(step.context, 'repairs.askProblem', { product: answer.value.name }),
      ...this.retry(step.context, 'repairs.problemRetry'),
    });
  }

  /**
   * The message itself, when it says what is wrong besides naming the product: what is left without
   * the product's names and the words of asking for a repair or of something being wrong in general
   * (repairs.requestWords: "坏了", "有问题", "能修吗") is two Han characters or ten letters ("台灯不亮了",
   * "左边没声音", "stopped heating"); "耳机坏了", "台灯能修吗" or "repair my kettle" is not.
   */
  private problemIn(text: string, names: string[]): string | undefined {
    const fillers = SUPPORTED_LOCALES.flatMap((l) => this.base.i18n.list(l, 'repairs.requestWords'));
    const { han, letters } = withoutNames(text, names, fillers);
    return han >= 2 || letters >= 10 ? text.trim() : undefined;
  }

  /** A number in the description is the one to call; else the one on file, if the customer agrees ("use this number?"). */
  private async phoneOnFileStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return this.giveUp(step);
    this.remember(step, StepValues.problem, answer.value);
    const typed = parsePhone({ context: step.context, text: answer.value, locale: this.locale(step.context), recognition: undefined, choices: [] });
    if (typed) return step.next({ ok: true, value: typed } satisfies PromptOutcome<string>);
    const onFile = (await this.deps.customers.get(turnInfo(step.context).customerId))?.phone;
    if (!onFile) return step.next();
    this.remember(step, StepValues.phone, onFile);
    return step.prompt(PromptIds.confirm, {
      prompt: this.t(step.context, 'repairs.usePhoneOnFile', { phone: maskPhone(onFile) }),
      ...this.retry(step.context, 'repairs.usePhoneRetry'),
      choices: [button(YES, this.t(step.context, 'repairs.useThisNumber'), this.base.i18n.list(this.locale(step.context), 'repairs.thisNumberWords')), button(NO, this.t(step.context, 'repairs.otherNumber'))],
    });
  }

  private async phoneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string> | undefined;
    if (answer && !answer.ok) return this.giveUp(step);
    if (answer?.value === YES) return step.next({ ok: true, value: this.recall<string>(step, StepValues.phone) } satisfies PromptOutcome<string>);
    if (answer && answer.value !== NO) return step.next(answer);
    return step.prompt(PromptIds.phone, {
      prompt: this.t(step.context, 'repairs.askPhone'),
      ...this.retry(step.context, 'repairs.phoneRetry'),
    });
  }

  private async openStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return this.giveUp(step);
    const product = this.recall<Product>(step, StepValues.product);
    const { customerId, conversationId } = turnInfo(step.context);
    const ticket = await this.deps.tickets.open({
      customerId,
      conversationId,
      orderId: product.orderId ?? null,
      category: 'repair',
      // The number is sealed in contactPhone; the summary, searched in clear by staff, shows it masked.
      summary: this.t(step.context, 'repairs.ticketSummary', { product: product.name, problem: this.recall<string>(step, StepValues.problem), phone: maskPhone(answer.value) }),
      contactPhone: answer.value,
      locale: this.locale(step.context),
      actor: { type: 'customer', id: customerId },
    });
    await this.say(step.context, 'repairs.opened', { number: ticket.number, due: ticket.dueAt ? this.dateTime(step.context, ticket.dueAt) : '-', phone: answer.value });
    return this.end(step, { outcome: 'done', ticketNumber: ticket.number });
  }
}
