import { ActivityTypes, type Middleware, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { KeywordMatcher } from '../../bot/intentRecognizer';
import { photoUrls } from '../../bot/photos';
import { turnInfoOrUndefined } from '../../bot/turnState';
import { AppError } from '../../errors';
import type { TicketTexts } from './format';
import { extractTicketNumber } from './numbering';
import type { TicketService } from './service';

/**
 * When a ticket of the conversation waits for the customer (PENDING_CUSTOMER: the agent asked for
 * more), the customer's next message is the answer: it is added to the ticket as their comment, with
 * any photos, the ticket goes back to OPEN and its agent hears of it, and the customer is told so -
 * rather than the message going to the intent router and being lost to the agent. A command (menu,
 * a person, a ticket number) or an answer to a dialog's question still goes to the bot.
 */
export class PendingReplyMiddleware implements Middleware {
  constructor(
    private readonly deps: {
      dialogState: StatePropertyAccessor<DialogState>;
      tickets: TicketService;
      texts: TicketTexts;
      keywords: KeywordMatcher;
    },
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const info = turnInfoOrUndefined(context);
    if (!info || context.activity.type !== ActivityTypes.Message || info.ticketWaiting === false || info.owner.status !== 'BOT') return next();
    const text = typeof context.activity.text === 'string' ? context.activity.text.trim() : '';
    const photos = photoUrls(context.activity);
    if (!text && photos.length === 0) return next();
    const { keywords, tickets, texts } = this.deps;
    if (text && (keywords.command(text) !== undefined || keywords.mentions(text, 'human_agent') || extractTicketNumber(text))) return next();
    if ((await this.deps.dialogState.get(context))?.dialogStack?.length) return next();
    const ticket = await tickets.db.ticket.findFirst({
      where: { conversationId: info.conversationId, customerId: info.customerId, status: 'PENDING_CUSTOMER' },
      orderBy: { updatedAt: 'desc' },
      select: { id: true, number: true },
    });
    if (!ticket) return next();
    const body = [text, ...photos.map((url) => texts.replyPhoto(info.locale, url))].filter(Boolean).join('\n');
    try {
      await tickets.customerReply(ticket.id, body, info.customerId);
    } catch (err) {
      // The agent moved the ticket on meanwhile: the message is an ordinary one.
      if (err instanceof AppError && err.code === 'conflict') return next();
      throw err;
    }
    await context.sendActivity(texts.replyAdded(info.locale, ticket.number));
  }
}
