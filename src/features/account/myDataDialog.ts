import type { TurnContext } from 'botbuilder';
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Actor } from '../../crm/audit';
import { normalizeAddress, normalizeEmail } from '../../crm/contact';
import type { ContactField, ContactUpdate, CustomerProfile } from '../../crm/customers';
import { turnInfo, turnRecognition } from '../../bot/turnState';
import { PromptIds, StepValues } from '../../../dialogs/ids';
import { DataWords, type DataAction } from './dataWords';
import { AccountDialogIds } from './ids';
import { KefuDialog, type DialogBase } from '../../../dialogs/kefuDialog';
import { KefuPrompt, button, type PromptOutcome } from '../../../dialogs/prompts/kefuPrompt';
import { NO, YES, parsePhone, yesNo } from '../../../dialogs/prompts/parsers';
import type { CustomerRights } from '../privacy';

/** What the dialog needs from the customer service (src/crm/customers.ts CustomerService). */
export interface CustomerData {
  profile(customerId: string): Promise<CustomerProfile | undefined>;
  updateContact(customerId: string, field: ContactField, input: string, actor: Actor, reason: string): Promise<ContactUpdate>;
}

type Request = 'delete' | 'export';
type Action = ContactField | Request | 'consent' | 'done';
const ACTIONS: Action[] = ['phone', 'email', 'address', 'export', 'delete', 'consent', 'done'];
const isRequest = (a: Action): a is Request => a === 'delete' || a === 'export';

const FIELD_PROMPT: Record<ContactField, string> = { phone: PromptIds.phone, email: PromptIds.email, address: PromptIds.address };

/**
 * "My data": shows what the shop stores about the customer, lets them correct phone, e-mail and
 * address (validated, audit-logged with before / after and the dialog's stated reason), withdraw
 * their consent to surveys and care messages, and ask for a copy of their data or its deletion: a
 * change request (src/features/privacy) that a supervisor and the CRM head approve before an
 * executor carries it out; nothing is deleted or sent in the chat itself.
 */
export class MyDataDialog extends KefuDialog {
  private readonly words: DataWords;

  constructor(
    base: DialogBase,
    private readonly customers: CustomerData,
    private readonly rights: CustomerRights,
  ) {
    super(AccountDialogIds.myData, base);
    this.words = new DataWords(base.i18n);
    this.addDialog(new KefuPrompt(AccountDialogIds.myDataAction, this.words.parser()));
    this.addDialog(new KefuPrompt(PromptIds.phone, parsePhone));
    this.addDialog(new KefuPrompt(PromptIds.email, (input) => normalizeEmail(input.text)));
    this.addDialog(new KefuPrompt(PromptIds.address, (input) => normalizeAddress(input.text)));
    this.addDialog(new KefuPrompt(PromptIds.confirm, yesNo));
    this.addDialog(new WaterfallDialog(AccountDialogIds.myDataWaterfall, [this.showStep.bind(this), this.askStep.bind(this), this.applyStep.bind(this)]));
    this.initialDialogId = AccountDialogIds.myDataWaterfall;
  }

  private async showStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const gate = await this.requireSignIn(step);
    if (gate) return gate;
    const profile = await this.customers.profile(turnInfo(step.context).customerId);
    if (!profile) return this.end(step, { outcome: 'refused' });
    // "手机号换了，帮我改一下": what is stored, then the new number is asked at once.
    const field = this.words.fieldToChange(step.context.activity.text ?? '');
    if (field) {
      await step.context.sendActivity(this.describe(step.context, profile));
      // "change my email to a@b.cn": the new value is in the message, so it is not asked for.
      const { context } = step;
      const value = this.words.valueIn(field, { context, text: (context.activity.text ?? '').trim(), locale: this.locale(context), recognition: turnRecognition(context), choices: [] });
      const given: PromptOutcome<DataAction> = { ok: true, value: { action: field, value } };
      return step.next(given);
    }
    return step.prompt(AccountDialogIds.myDataAction, {
      prompt: [this.describe(step.context, profile), this.t(step.context, 'account.myData.askAction')].join('\n'),
      ...this.retry(step.context, 'dialogs.common.pickRetry'),
      choices: ACTIONS.map((a) => button(a, this.t(step.context, `account.myData.action.${a}`))),
    });
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<DataAction>;
    if (!answer.ok) return this.giveUp(step);
    const action = answer.value.action as Action;
    this.remember(step, StepValues.field, action);
    // The new number or address was typed where a button was asked for: that is the change.
    if (answer.value.value !== undefined) {
      const typed: PromptOutcome<string> = { ok: true, value: answer.value.value };
      return step.next(typed);
    }
    if (action === 'done') {
      await this.say(step.context, 'account.myData.done');
      return this.end(step, { outcome: 'done' });
    }
    if (action === 'consent') {
      const { customerId } = turnInfo(step.context);
      await this.rights.withdrawConsent(customerId, { type: 'customer', id: customerId }, this.t(step.context, 'account.myData.reason.consent'));
      await this.say(step.context, 'account.myData.consentWithdrawn');
      return this.end(step, { outcome: 'done' });
    }
    if (isRequest(action)) {
      return step.prompt(PromptIds.confirm, {
        prompt: this.t(step.context, `account.myData.${action}Confirm`),
        ...this.retry(step.context, 'dialogs.common.yesNoRetry'),
        choices: [button(YES, this.t(step.context, `account.myData.${action}Yes`)), button(NO, this.t(step.context, 'dialogs.common.no'))],
      });
    }
    return step.prompt(FIELD_PROMPT[action], {
      prompt: this.t(step.context, `account.myData.ask.${action}`),
      ...this.retry(step.context, `account.myData.retry.${action}`),
    });
  }

  private async applyStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const action = this.recall<Action>(step, StepValues.field);
    if (isRequest(action)) return this.request(step, action, step.result as PromptOutcome<boolean>);
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return this.giveUp(step);
    const field = action as ContactField;
    const { customerId } = turnInfo(step.context);
    const before = (await this.customers.profile(customerId))?.[field] ?? null;
    const fieldName = this.t(step.context, `account.myData.field.${field}`);
    const reason = this.t(step.context, 'account.myData.reason.correct', { field: fieldName });
    const update = await this.customers.updateContact(customerId, field, answer.value, { type: 'customer', id: customerId }, reason);
    if (!update.ok) {
      await this.say(step.context, `account.myData.retry.${field}`);
      return this.end(step, { outcome: 'refused' });
    }
    await this.say(step.context, update.changed ? 'account.myData.updated' : 'account.myData.unchanged', {
      field: fieldName,
      before: before ?? this.t(step.context, 'account.myData.empty'),
      after: update.value,
    });
    return this.end(step, { outcome: 'done' });
  }

  /** Deletion and export are change requests: approved by a supervisor and the CRM head, then carried out; nothing happens now. */
  private async request(step: WaterfallStepContext, kind: Request, answer: PromptOutcome<boolean>): Promise<DialogTurnResult> {
    if (!answer.ok) return this.giveUp(step);
    if (!answer.value) {
      await this.say(step.context, 'account.myData.requestDeclined');
      return this.end(step, { outcome: 'declined' });
    }
    const { customerId } = turnInfo(step.context);
    const { request } = await this.rights.open({
      customerId,
      kind,
      reason: this.t(step.context, `account.myData.reason.${kind}`),
      actor: { type: 'customer', id: customerId },
      locale: this.locale(step.context),
    });
    await this.say(step.context, `account.myData.${kind}Requested`, { id: request.id, due: this.dateTime(step.context, request.dueAt) });
    return this.end(step, { outcome: 'done' });
  }

  private describe(context: TurnContext, p: CustomerProfile): string {
    const empty = this.t(context, 'account.myData.empty');
    return this.t(context, 'account.myData.profile', {
      name: p.name ?? empty,
      phone: p.phone ?? empty,
      email: p.email ?? empty,
      address: p.address ?? empty,
      locale: p.locale ? this.t(context, `account.language.choices.${p.locale === 'en-US' ? 'en-US' : 'zh-CN'}`) : empty,
      tier: this.t(context, `loyalty.tier.${p.tier}`),
      points: p.points,
      orders: p.orders,
      conversations: p.conversations,
      tickets: p.tickets,
    });
  }
}
