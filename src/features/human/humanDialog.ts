import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { turnInfo } from '../../bot/turnState';
import { DialogIds } from '../../../dialogs/ids';
import type { HumanRouteOptions } from '../../../dialogs/routes';
import { KefuDialog, type DialogBase, type KefuDialogResult } from '../../../dialogs/kefuDialog';
import type { TicketDesk } from '../tickets';

const HUMAN_WATERFALL = 'kefu.human.waterfall';

export type HumanDialogOptions = HumanRouteOptions;

/** Ticket statuses in which a ticket is still waiting for an agent. */
const WAITING = ['NEW', 'OPEN', 'REOPENED'];

/**
 * "Talk to a person". Live handoff comes in a later issue: for now the customer gets a consultation
 * ticket (or is reminded of the ticket of this conversation already waiting for an agent) and is told honestly when an agent will reply.
 */
export class HumanDialog extends KefuDialog {
  constructor(
    base: DialogBase,
    private readonly tickets: TicketDesk,
  ) {
    super(DialogIds.human, base);
    this.addDialog(new WaterfallDialog(HUMAN_WATERFALL, [this.openStep.bind(this)]));
    this.initialDialogId = HUMAN_WATERFALL;
  }

  private async openStep(step: WaterfallStepContext<HumanDialogOptions>): Promise<DialogTurnResult> {
    const gate = await this.requireHumanSignIn(step);
    if (gate) return gate;
    const { customerId, conversationId } = turnInfo(step.context);
    const waiting = (await this.tickets.listForCustomer(customerId, 10)).find(
      (t) => t.conversationId === conversationId && WAITING.includes(t.status),
    );
    if (waiting) {
      await this.say(step.context, 'human.alreadyOpen', { number: waiting.number, due: waiting.dueAt ? this.dateTime(step.context, waiting.dueAt) : '-' });
      return this.end(step, { outcome: 'done', ticketNumber: waiting.number });
    }
    const reason = (step.options?.reason ?? step.context.activity.text ?? '').slice(0, 500);
    const ticket = await this.tickets.open({
      customerId,
      conversationId,
      category: 'consultation',
      summary: this.t(step.context, 'human.ticketSummary', { message: reason || '-' }),
      locale: this.locale(step.context),
      actor: { type: 'customer', id: customerId },
    });
    await this.say(step.context, 'human.opened', { number: ticket.number, due: ticket.dueAt ? this.dateTime(step.context, ticket.dueAt) : '-' });
    const result: KefuDialogResult = { outcome: 'done', ticketNumber: ticket.number };
    return this.end(step, result);
  }

  /** Without a shop account we cannot reach the customer again: say how to sign in (or where to call). */
  private async requireHumanSignIn(step: WaterfallStepContext): Promise<DialogTurnResult | undefined> {
    if (turnInfo(step.context).verified) return undefined;
    await this.say(step.context, 'human.signIn', { url: this.base.signInUrl });
    return this.end(step, { outcome: 'sign_in_required' });
  }
}
