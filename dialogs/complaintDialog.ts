import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { turnInfo } from '../src/bot/turnState';
import { COMPLAINT_TYPES, type ComplaintType } from '../src/tickets/types';
import { DialogIds, PromptIds, StepValues } from './ids';
import { KefuDialog, type DialogBase } from './kefuDialog';
import { KefuPrompt, button, withButtons, type PromptOutcome } from './prompts/kefuPrompt';
import { freeText, pickValue } from './prompts/parsers';
import type { TicketDesk } from './services';

/** A complaint: its type, what happened, what the customer wants; a complaint ticket (a solution within 48 h). */
export class ComplaintDialog extends KefuDialog {
  constructor(
    base: DialogBase,
    private readonly tickets: TicketDesk,
  ) {
    super(DialogIds.complaint, base);
    this.addDialog(new KefuPrompt(PromptIds.choice, pickValue));
    this.addDialog(new KefuPrompt(PromptIds.text, freeText(4, 1000)));
    this.addDialog(
      new WaterfallDialog(DialogIds.complaintWaterfall, [this.typeStep.bind(this), this.storyStep.bind(this), this.wishStep.bind(this), this.openStep.bind(this)]),
    );
    this.initialDialogId = DialogIds.complaintWaterfall;
  }

  private async typeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const gate = await this.requireSignIn(step);
    if (gate) return gate;
    return step.prompt(PromptIds.choice, {
      prompt: this.t(step.context, 'dialogs.complaint.askType'),
      retryPrompt: this.t(step.context, 'dialogs.common.pickRetry'),
      choices: COMPLAINT_TYPES.map((type) => button(type, this.t(step.context, `dialogs.complaint.type.${type}`))),
    });
  }

  private async storyStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return this.giveUp(step);
    this.remember(step, StepValues.complaintType, answer.value);
    return step.prompt(PromptIds.text, {
      prompt: this.t(step.context, 'dialogs.complaint.askStory'),
      retryPrompt: this.t(step.context, 'dialogs.complaint.textRetry'),
    });
  }

  private async wishStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return this.giveUp(step);
    this.remember(step, StepValues.story, answer.value);
    return step.prompt(PromptIds.text, {
      prompt: this.t(step.context, 'dialogs.complaint.askWish'),
      retryPrompt: this.t(step.context, 'dialogs.complaint.textRetry'),
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
      summary: this.t(step.context, 'dialogs.complaint.ticketSummary', {
        type: this.t(step.context, `dialogs.complaint.type.${type}`),
        story: this.recall<string>(step, StepValues.story),
        wish: answer.value,
      }),
      locale: this.locale(step.context),
      actor: { type: 'customer', id: customerId },
    });
    const text = this.t(step.context, 'dialogs.complaint.opened', { number: ticket.number, due: ticket.dueAt ? this.dateTime(step.context, ticket.dueAt) : '-' });
    await step.context.sendActivity(withButtons(text, [this.humanButton(step.context)]));
    return this.end(step, { outcome: 'done', ticketNumber: ticket.number });
  }
}
