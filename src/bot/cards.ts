import { CardFactory, MessageFactory, type Activity, type CardAction } from 'botbuilder';

/** Channels that show Adaptive Cards: Kefu's own web chat (Direct Line), Web Chat elsewhere, Teams, the Emulator. */
const CARD_CHANNELS = new Set(['directline', 'webchat', 'msteams', 'emulator']);

/**
 * A "label：value" or "label: value" line: a short label, and never the colon of a time, so a time
 * such as 10:30 stays in its value and a sentence with one ("…已于 10月16日 21:27 签收…") is no fact.
 */
const FACT = /^([^:：\n]{1,24})(?<!\d)[:：]\s*(.+)$/s;

/**
 * Details of one thing (an order, a ticket), written as lines of text in the customer's language:
 * the first line names it, each "状态：已发货" / "Status: Shipped" line is a fact. Where the channel
 * shows cards, they are one Adaptive Card (the first line as its heading, the facts as a table); the
 * whole text is the card's fallback (for a client that cannot render it) and what the transcript
 * keeps. Elsewhere the lines are the message's text, as before.
 */
export function detailsReply(channelId: string | undefined, lines: string[], buttons: CardAction[] = []): Partial<Activity> {
  const text = lines.join('\n');
  if (!channelId || !CARD_CHANNELS.has(channelId) || lines.length < 2) {
    return buttons.length ? MessageFactory.suggestedActions(buttons, text) : MessageFactory.text(text);
  }
  const [title, ...rest] = lines;
  const facts: { title: string; value: string }[] = [];
  const body: object[] = [{ type: 'TextBlock', text: title, weight: 'Bolder', wrap: true }];
  const flushFacts = () => {
    if (facts.length) body.push({ type: 'FactSet', facts: facts.splice(0) });
  };
  for (const line of rest) {
    const fact = FACT.exec(line);
    if (fact) {
      facts.push({ title: fact[1].trim(), value: fact[2].trim() });
    } else {
      flushFacts();
      body.push({ type: 'TextBlock', text: line, wrap: true, isSubtle: true });
    }
  }
  flushFacts();
  const card = CardFactory.adaptiveCard({ type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.3', fallbackText: text, body });
  const reply = MessageFactory.attachment(card);
  if (buttons.length) reply.suggestedActions = { actions: buttons, to: [] };
  return reply;
}
