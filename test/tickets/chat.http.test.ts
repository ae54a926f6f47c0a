import { PROVIDERS } from '../support/db';
import { TicketsTestBot } from './app';

/*
 * Tickets as the customer reads them in chat, over the real server. The app runs on the fixed clock
 * (Thursday 2026-11-26 10:00 in Shanghai): tickets opened now are numbered T20261126…; a return is due
 * one working day later and a question 24 hours later, both on Friday 27 Nov at 10:00.
 */
describe.each(PROVIDERS)('tickets in chat on %s', (provider) => {
  const bot = new TicketsTestBot(provider);
  let agentToken = '';

  beforeAll(async () => {
    await bot.start();
    agentToken = (await bot.module.agents.create({ name: 'Lin', role: 'agent' })).token;
  });
  afterAll(() => bot.stop());

  /** The Conversation and Customer rows the foundation stored for a channel conversation. */
  const rowsOf = async (channelConversationId: string) => {
    const conversation = await bot.app.store.db.conversation.findFirstOrThrow({ where: { channelConversationId } });
    return { conversationId: conversation.id, customerId: conversation.customerId as string };
  };

  it('when a customer without tickets asks for them, then they are told they have none (en-US and zh-CN)', async () => {
    expect(await bot.say({ text: 'my tickets', locale: 'en-US', conversationId: 'none-en' })).toEqual(['You have no tickets at the moment. If something is wrong, just tell me about it.']);
    expect(await bot.say({ text: '我的工单', locale: 'zh-CN', conversationId: 'none-zh' })).toEqual(['您目前没有工单。如需帮助，直接告诉我您遇到的问题即可。']);
  });

  it('when a customer asks "my tickets", "where is my return" or 我的退货到哪了, then they see their tickets with number, category, status, due time and last update', async () => {
    await bot.say({ text: 'hello', locale: 'en-US', conversationId: 'list-en' }, 3);
    const { conversationId, customerId } = await rowsOf('list-en');
    const ret = await bot.module.tickets.open({ customerId, conversationId, category: 'return', summary: 'Shoes too small', locale: 'en-US', actor: { type: 'bot' } });
    const question = await bot.module.tickets.open({ customerId, conversationId, category: 'consultation', summary: 'Invoice?', locale: 'en-US', actor: { type: 'bot' } });
    expect([ret.number, question.number]).toEqual([expect.stringMatching(/^T20261126\d{4}$/), expect.stringMatching(/^T20261126\d{4}$/)]);

    // Most recently updated first; each line ends with a Markdown hard break (two spaces), so Web Chat shows one ticket a line.
    const english = [
      'Your recent tickets (2):',
      `${question.number} | Question | Received | due: Nov 27, 2026, 10:00 AM | last update: Nov 26, 2026, 10:00 AM`,
      `${ret.number} | Return | Received | due: Nov 27, 2026, 10:00 AM | last update: Nov 26, 2026, 10:00 AM`,
      `Send a ticket number (e.g. ${question.number}) to see its details.`,
    ].join('  \n');
    expect(await bot.say({ text: 'my tickets', locale: 'en-US', conversationId: 'list-en' })).toEqual([english]);
    expect(await bot.say({ text: 'where is my return?', locale: 'en-US', conversationId: 'list-en' })).toEqual([english]);
    expect(await bot.say({ text: '我的退货到哪了', locale: 'zh-CN', conversationId: 'list-en' })).toEqual([
      [
        '您最近的工单（共 2 个）：',
        `${question.number}｜咨询｜待受理｜处理时限：2026年11月27日 10:00｜最后更新：2026年11月26日 10:00`,
        `${ret.number}｜退货｜待受理｜处理时限：2026年11月27日 10:00｜最后更新：2026年11月26日 10:00`,
        `发送工单号（如 ${question.number}）可查看详情。`,
      ].join('  \n'),
    ]);
  });

  it("when a customer types their ticket number anywhere in a message, then they see it; another customer's number is not found", async () => {
    await bot.say({ text: 'hello', locale: 'zh-CN', conversationId: 'num-mine' }, 3);
    await bot.say({ text: 'hello', locale: 'zh-CN', conversationId: 'num-theirs' }, 3);
    const mine = await rowsOf('num-mine');
    const theirs = await rowsOf('num-theirs');
    const own = await bot.module.tickets.open({ ...mine, category: 'repair', summary: '电水壶不加热', actor: { type: 'bot' } });
    const foreign = await bot.module.tickets.open({ ...theirs, category: 'complaint', summary: '别人的投诉', actor: { type: 'bot' } });

    const detail = [`工单 ${own.number}（维修）`, '状态：待受理', '处理时限：2026年11月30日 10:00', '最后更新：2026年11月26日 10:00', '问题描述：电水壶不加热'].join('  \n');
    expect(await bot.say({ text: own.number, locale: 'zh-CN', conversationId: 'num-mine' })).toEqual([detail]);
    expect(await bot.say({ text: `请问 ${own.number.toLowerCase()} 怎么样了`, locale: 'zh-CN', conversationId: 'num-mine' })).toEqual([detail]);
    const denied = await bot.say({ text: foreign.number, locale: 'zh-CN', conversationId: 'num-mine' });
    expect(denied).toEqual([`没有找到工单 ${foreign.number}。请核对工单号（形如 T202611260001），或发送“我的工单”查看您的全部工单。`]);
    expect(denied[0]).not.toContain('别人的投诉');
  });

  it("when an agent changes a ticket's status or comments, then the customer gets a message in their saved language in the ticket's conversation, and internal notes stay internal", async () => {
    // The conversation was in Chinese, but the customer saved English as their language.
    await bot.say({ text: 'hello', locale: 'zh-CN', conversationId: 'pro-en' }, 3);
    const { conversationId, customerId } = await rowsOf('pro-en');
    await bot.app.store.db.customer.update({ where: { id: customerId }, data: { locale: 'en-US' } });
    const ticket = await bot.module.tickets.open({ customerId, conversationId, category: 'exchange', summary: 'Wrong colour', actor: { type: 'bot' } });
    const before = bot.listener.for('pro-en').length;

    const opened = await bot.api('POST', `/api/tickets/${ticket.number}/status`, agentToken, { status: 'OPEN', reason: 'working on it' });
    expect(opened.status).toBe(200);
    await bot.listener.waitFor(before + 1, 'pro-en');
    expect(bot.listener.texts('pro-en').slice(before)).toEqual([`An agent has picked up your ticket ${ticket.number} (Exchange). We will get back to you by Nov 27, 2026, 10:00 AM.`]);

    await bot.api('POST', `/api/tickets/${ticket.number}/notes`, agentToken, { body: 'Warehouse says out of stock' });
    await bot.api('POST', `/api/tickets/${ticket.number}/comments`, agentToken, { body: 'The blue one ships tomorrow.' });
    await bot.listener.waitFor(before + 2, 'pro-en');
    await bot.app.dispatcher.runUntilIdle();
    const sent = bot.listener.texts('pro-en').slice(before);
    expect(sent).toEqual([sent[0], `About your ticket ${ticket.number}, our agent writes:  \nThe blue one ships tomorrow.`]);
    expect(sent.join('\n')).not.toContain('Warehouse');

    // The transcript recorded the proactive messages as outbound.
    const outbound = await bot.app.store.db.message.findMany({ where: { conversationId, direction: 'OUTBOUND' }, select: { text: true } });
    expect(outbound.map((m) => m.text)).toEqual(expect.arrayContaining(sent));
  });

  it("when the customer has no saved language, then the message is in the conversation's language", async () => {
    await bot.say({ text: '你好', locale: 'zh-CN', conversationId: 'pro-zh' }, 3);
    const { conversationId, customerId } = await rowsOf('pro-zh');
    const ticket = await bot.module.tickets.open({ customerId, conversationId, category: 'return', summary: '尺码不合适', actor: { type: 'bot' } });
    const before = bot.listener.for('pro-zh').length;
    await bot.api('POST', `/api/tickets/${ticket.number}/status`, agentToken, { status: 'OPEN', reason: 'working on it' });
    await bot.api('POST', `/api/tickets/${ticket.number}/status`, agentToken, { status: 'PENDING_CUSTOMER', reason: 'need photos' });
    await bot.listener.waitFor(before + 2, 'pro-zh');
    expect(bot.listener.texts('pro-zh').slice(before)).toEqual([
      `您的工单 ${ticket.number}（退货）已有客服受理，我们会在 2026年11月27日 10:00 前给您答复。`,
      `您的工单 ${ticket.number} 需要您补充一些信息，请直接在这里回复我们。`,
    ]);
  });
});
