import { waitUntil } from '../support/wait';
import { HandoffTestBot, PROVIDERS, openConsoleSocket as openSocket } from './support';
import { sh } from '../support/clock';

/*
 * An agent asks the customer for more (the ticket waits on them: PENDING_CUSTOMER); the customer's
 * answer in the chat goes to that ticket and its agent hears of it on the console, live.
 */
describe.each(PROVIDERS)('a customer answering a ticket that waits on them (%s)', (provider) => {
  const bot = new HandoffTestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false' });
  beforeAll(async () => {
    await bot.startWithStaff();
  });
  afterAll(() => bot.stop());
  beforeEach(() => bot.clock.set(sh('2026-11-26T10:00:00')));

  /** A return ticket of the chat, held by Lin, who asked the customer for more. */
  async function waitingTicket(chat: string, locale: string) {
    await bot.write(chat, locale === 'zh-CN' ? '你好' : 'hello', locale);
    const { id: conversationId, customerId } = await bot.conversation(chat);
    const tickets = bot.app.features.tickets.tickets;
    const ticket = await tickets.open({ customerId: customerId as string, conversationId, category: 'return', summary: 'Cup arrived cracked', locale, actor: { type: 'bot' } });
    const lin = { type: 'agent' as const, id: bot.ids.lin };
    await tickets.assign(ticket.id, bot.ids.lin, lin);
    await tickets.changeStatus(ticket.id, 'OPEN', lin);
    await tickets.changeStatus(ticket.id, 'PENDING_CUSTOMER', lin, { reason: 'Need a photo of the crack' });
    await bot.app.dispatcher.runUntilIdle();
    return ticket;
  }

  test.each([
    ['zh-CN', '杯子底部裂了一道缝，快递盒是好的', '已添加到工单'],
    ['en-US', 'the crack is on the bottom, the box was fine', 'added your reply to ticket'],
  ])('(%s) when the customer writes while the ticket waits on them, then the message goes to the ticket, it is open again, they are told, and the agent is alerted live', async (locale, answer, told) => {
    const chat = `pending-${locale}`;
    const ticket = await waitingTicket(chat, locale);
    const lin = await openSocket(bot, bot.lin);
    const zhao = await openSocket(bot, bot.zhao);
    const wang = await openSocket(bot, bot.wang);
    try {
      const replies = await bot.write(chat, answer, locale);
      expect(replies).toHaveLength(1);
      expect(replies[0]).toContain(told);
      expect(replies[0]).toContain(ticket.number);

      const stored = await bot.app.store.db.ticket.findUniqueOrThrow({ where: { id: ticket.id }, include: { events: { orderBy: { createdAt: 'asc' } } } });
      expect(stored.status).toBe('OPEN');
      expect(stored.events.filter((e) => e.type === 'COMMENT').map((e) => [e.actorType, e.body])).toEqual([['customer', answer]]);

      await bot.app.dispatcher.runUntilIdle();
      const alerted = (r: Record<string, unknown>[]) => r.some((m) => m.kind === 'alert' && (m.alert as { kind: string; number: string }).number === ticket.number);
      await waitUntil(() => alerted(lin.received) && alerted(wang.received), 'the alert on Lin\'s and Wang\'s consoles');
      expect(lin.received.find((m) => m.kind === 'alert')).toMatchObject({ alert: { kind: 'customer_replied', number: ticket.number, text: answer } });
      expect(alerted(zhao.received)).toBe(false); // another agent's ticket

      // Once the ticket is open again, the next message is an ordinary one for the bot.
      const next = await bot.write(chat, locale === 'zh-CN' ? '我想查一下积分' : 'how many points do I have', locale);
      expect(next.join('\n')).not.toContain(told);
    } finally {
      for (const s of [lin, zhao, wang]) s.ws.close();
    }
  });

  test('when the customer asks for a person while the ticket waits on them, then the request goes to the handoff, not into the ticket', async () => {
    const ticket = await waitingTicket('pending-human', 'zh-CN');
    const replies = await bot.write('pending-human', '转人工');
    expect(replies.join('\n')).not.toContain('已添加到工单');
    const stored = await bot.app.store.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(stored.status).toBe('PENDING_CUSTOMER');
  });
});
