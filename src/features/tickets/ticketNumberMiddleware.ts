import { ActivityTypes, type Middleware, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { replyWithTickets, type CustomerTicketLookup } from './ticketStatusDialog';
import { turnInfoOrUndefined } from '../../bot/turnState';
import type { TicketTexts } from './format';
import { extractTicketNumber } from './numbering';

/**
 * A ticket number typed anywhere (T202611260001, "where is t202611260001?") shows that ticket,
 * whatever the recognizer makes of the rest of the message - unless a dialog is waiting for an
 * answer (then the number is the answer to its prompt and the dialog gets it).
 */
export class TicketNumberMiddleware implements Middleware {
  constructor(
    private readonly dialogState: StatePropertyAccessor<DialogState>,
    private readonly lookup: CustomerTicketLookup,
    private readonly texts: TicketTexts,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const number = context.activity.type === ActivityTypes.Message ? extractTicketNumber(context.activity.text) : undefined;
    if (number && turnInfoOrUndefined(context)) {
      const state = await this.dialogState.get(context);
      if (!state?.dialogStack?.length) {
        await replyWithTickets(context, this.lookup, this.texts, number);
        return;
      }
    }
    await next();
  }
}
