import type { TurnContext } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { detailsReply } from '../../bot/cards';
import { turnInfo } from '../../bot/turnState';
import type { TicketTexts } from './format';
import { extractTicketNumber } from './numbering';
import type { RefundAnswer } from './refunds';
import type { Ticket } from './types';

export const TicketDialogIds = {
  status: 'kefu.tickets.status',
  statusWaterfall: 'kefu.tickets.status.waterfall',
} as const;

/** The intent the recognizers return for "my tickets" / "我的工单" / a ticket number. */
export const TICKET_STATUS_INTENT = 'ticket_status';

/** What the dialog needs from the ticket service (reads only, always scoped to one customer). */
export interface CustomerTicketLookup {
  listForCustomer(customerId: string, limit?: number): Promise<Ticket[]>;
  findForCustomer(customerId: string, number: string): Promise<Ticket | undefined>;
}

export interface TicketStatusOptions {
  /** A ticket number to show; otherwise the one in the customer's message, otherwise their recent tickets. */
  number?: string;
}

export interface TicketStatusResult {
  shown: string[];
}

/** Answers a customer's replies with their own tickets, and only theirs. */
export async function replyWithTickets(
  context: TurnContext,
  lookup: CustomerTicketLookup,
  texts: TicketTexts,
  number: string | undefined,
): Promise<TicketStatusResult> {
  const { locale, customerId } = turnInfo(context);
  if (number) {
    const ticket = await lookup.findForCustomer(customerId, number);
    await context.sendActivity(ticket ? detailsReply(context.activity.channelId, texts.detail(locale, ticket)) : texts.notFound(locale, number));
    return { shown: ticket ? [ticket.number] : [] };
  }
  const tickets = await lookup.listForCustomer(customerId, 5);
  await context.sendActivity(texts.list(locale, tickets));
  return { shown: tickets.map((t) => t.number) };
}

export class TicketStatusDialog extends ComponentDialog {
  constructor(
    private readonly lookup: CustomerTicketLookup,
    private readonly texts: TicketTexts,
    /** "退款到账了吗": the refunds and the returns under way (when the orders feature provides them). */
    private readonly refunds?: RefundAnswer,
  ) {
    super(TicketDialogIds.status);
    this.addDialog(new WaterfallDialog(TicketDialogIds.statusWaterfall, [this.showStep.bind(this)]));
    this.initialDialogId = TicketDialogIds.statusWaterfall;
  }

  private async showStep(step: WaterfallStepContext<TicketStatusOptions>): Promise<DialogTurnResult> {
    const number = step.options?.number ?? extractTicketNumber(step.context.activity.text);
    if (!number && this.refunds?.asked(step.context.activity.text)) return step.endDialog({ shown: await this.refunds.reply(step.context) });
    const result = await replyWithTickets(step.context, this.lookup, this.texts, number);
    return step.endDialog(result);
  }
}
