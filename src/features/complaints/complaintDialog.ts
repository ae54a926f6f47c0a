import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { turnInfo } from '../../bot/turnState';
import { COMPLAINT_TYPES, type ComplaintType, type TicketDesk } from '../tickets';
import { PromptIds, StepValues } from '../../../dialogs/ids';
import { ComplaintWords, type ComplaintAnswer } from './complaintWords';
import { ComplaintDialogIds, ComplaintPromptIds } from './ids';
import { KefuDialog, type DialogBase } from '../../../dialogs/kefuDialog';
import { KefuPrompt, button, withButtons, type PromptOutcome } from '../../../dialogs/prompts/kefuPrompt';
import { freeText } from '../../../dialogs/prompts/parsers';

/** A complaint: its type, what happened, what the customer wants; a complaint ticket (a solution within 48 h). */
export class ComplaintDialog extends KefuDialog {
  private readonly words: ComplaintWords;

  constructor(
    base: DialogBase,
    private readonly tickets: TicketDesk,
  ) {
    super(ComplaintDialogIds.complaint, base);
    this.words = new ComplaintWords(base.i18n);
    this.addDialog(new KefuPrompt(ComplaintPromptIds.type, this.words.parser()));
    this.addDialog(new KefuPrompt(PromptIds.text, freeText(4, 1000)));
    this.addDialog(
      new WaterfallDialog(ComplaintDialogIds.complaintWaterfall, [this.typeStep.bind(this), this.storyStep.bind(this), this.wishStep.bind(this), this.openStep.bind(this)]),
    );
    this.initialDialogId = ComplaintDialogIds.complaintWaterfall;
  }

  /** The complaint's kind: said in the message that started it ("客服态度太差，我要投诉"), or asked. */
  private async typeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const gate = await this.requireSignIn(step);
    if (gate) return gate;
    const said = this.words.typeOf(step.context.activity.text ?? '');
    if (said) {
      const given: PromptOutcome<ComplaintAnswer> = { ok: true, value: { type: said, unasked: true } };
      return step.next(given);
    }
    return step.prompt(ComplaintPromptIds.type, {
      prompt: this.t(step.context, 'complaints.askType'),
      ...this.retry(step.context, 'dialogs.common.pickRetry'),
      choices: COMPLAINT_TYPES.map((type) => button(type, this.t(step.context, `complaints.type.${type}`))),
    });
  }

  /** What happened: asked, unless the answer to the kind was the story itself ("昨天打电话没人接"). */
  private async storyStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<ComplaintAnswer>;
    if (!answer.ok) return this.giveUp(step);
    this.remember(step, StepValues.complaintType, answer.value.type);
    if (answer.value.story) {
      const told: PromptOutcome<string> = { ok: true, value: answer.value.story };
      return step.next(told);
    }
    // The kind came with the first message: the apology its question carries comes here.
    const type = this.t(step.context, `complaints.type.${answer.value.type}`);
    return step.prompt(PromptIds.text, {
      prompt: answer.value.unasked ? this.t(step.context, 'complaints.askStoryOfType', { type }) : this.t(step.context, 'complaints.askStory'),
      ...this.retry(step.context, 'complaints.textRetry'),
    });
  }

  private async wishStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return this.giveUp(step);
    this.remember(step, StepValues.story, answer.value);
    return step.prompt(PromptIds.text, {
      prompt: this.t(step.context, 'complaints.askWish'),
      ...this.retry(step.context, 'complaints.textRetry'),
    });
  }

  private async openStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return this.giveUp(step);
    const type = this.recall<ComplaintType>(step, StepValues.complaintType);
    const { customerId, conversationId } = turnInfo(step.context);
    const ticket = await this.tickets.open({
      customerId,
      conversationId,
      category: 'complaint',
      complaintType: type,
      summary: this.t(step.context, 'complaints.ticketSummary', {
        type: this.t(step.context, `complaints.type.${type}`),
        story: this.recall<string>(step, StepValues.story),
        wish: answer.value,
      }),
      locale: this.locale(step.context),
      actor: { type: 'customer', id: customerId },
    });
    const text = this.t(step.context, 'complaints.opened', { number: ticket.number, due: ticket.dueAt ? this.dateTime(step.context, ticket.dueAt) : '-' });
    await step.context.sendActivity(withButtons(text, [this.humanButton(step.context)]));
    return this.end(step, { outcome: 'done', ticketNumber: ticket.number });
  }
}
