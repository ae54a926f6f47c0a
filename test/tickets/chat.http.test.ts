import { I18n } from '../../src/i18n/i18n';
import { TicketTexts } from '../../src/features/tickets/format';
import { PROVIDERS } from '../support/db';
import { TicketsTestBot } from './app';

const i18n = new I18n();
const texts = new TicketTexts(i18n, 'Asia/Shanghai');

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
    expect(await bot.say({ text: 'my tickets', locale: 'en-US', conversationId: 'none-en' })).toEqual([i18n.t('en-US', 'tickets.list.none')]);
    expect(await bot.say({ text: '我的工单', locale: 'zh-CN', conversationId: 'none-zh' })).toEqual([i18n.t('zh-CN', 'tickets.list.none')]);
  });

  it('when a customer asks "my tickets", "where is my return" or 我的退货到哪了, then they see their tickets with number, category, status, due time and last update', async () => {
    await bot.say({ text: 'hello', locale: 'en-US', conversationId: 'list-en' });
    const { conversationId, customerId } = await rowsOf('list-en');
    const ticket = await bot.module.tickets.open({ customerId, conversationId, category: 'return', summary: 'Shoes too small', locale: 'en-US', actor: { type: 'bot' } });
    await bot.module.tickets.open({ customerId, conversationId, category: 'consultation', summary: 'Invoice?', locale: 'en-US', actor: { type: 'bot' } });
    const mine = await bot.module.tickets.listForCustomer(customerId, 5);

    const reply = await bot.say({ text: 'my tickets', locale: 'en-US', conversationId: 'list-en' });
    expect(reply).toEqual([texts.list('en-US', mine)]);
    expect(reply[0]).toContain(ticket.number);
    expect(reply[0]).toContain(texts.due('en-US', ticket));
    expect(await bot.say({ text: 'where is my return?', locale: 'en-US', conversationId: 'list-en' })).toEqual([texts.list('en-US', mine)]);
    expect(await bot.say({ text: '我的退货到哪了', locale: 'zh-CN', conversationId: 'list-en' })).toEqual([texts.list('zh-CN', mine)]);
  });

  it("when a customer types their ticket number anywhere in a message, then they see it; another customer's number is not found", async () => {
    await bot.say({ text: 'hello', locale: 'zh-CN', conversationId: 'num-mine' });
    await bot.say({ text: 'hello', locale: 'zh-CN', conversationId: 'num-theirs' });
    const mine = await rowsOf('num-mine');
    const theirs = await rowsOf('num-theirs');
    const own = await bot.module.tickets.open({ ...mine, category: 'repair', summary: '电水壶不加热', actor: { type: 'bot' } });
    const foreign = await bot.module.tickets.open({ ...theirs, category: 'complaint', summary: '别人的投诉', actor: { type: 'bot' } });

    expect(await bot.say({ text: own.number, locale: 'zh-CN', conversationId: 'num-mine' })).toEqual([texts.detail('zh-CN', own)]);
    expect(await bot.say({ text: `请问 ${own.number.toLowerCase()} 怎么样了`, locale: 'zh-CN', conversationId: 'num-mine' })).toEqual([texts.detail('zh-CN', own)]);
    const denied = await bot.say({ text: foreign.number, locale: 'zh-CN', conversationId: 'num-mine' });
    expect(denied).toEqual([i18n.t('zh-CN', 'tickets.notFound', { number: foreign.number })]);
    expect(denied[0]).not.toContain('别人的投诉');
  });

  it("when an agent changes a ticket's status or comments, then the customer gets a message in their saved language in the ticket's conversation, and internal notes stay internal", async () => {
    // The conversation was in Chinese, but the customer saved English as their language.
    await bot.say({ text: 'hello', locale: 'zh-CN', conversationId: 'pro-en' });
    const { conversationId, customerId } = await rowsOf('pro-en');
    await bot.app.store.db.customer.update({ where: { id: customerId }, data: { locale: 'en-US' } });
    const ticket = await bot.module.tickets.open({ customerId, conversationId, category: 'exchange', summary: 'Wrong colour', actor: { type: 'bot' } });
    const before = bot.listener.for('pro-en').length;

    const opened = await bot.api('POST', `/api/tickets/${ticket.number}/status`, agentToken, { status: 'OPEN' });
    expect(opened.status).toBe(200);
    await bot.listener.waitFor(before + 1, 'pro-en');
    const due = texts.time('en-US', ticket.dueAt as Date);
    expect(bot.listener.texts('pro-en').slice(before)).toEqual([
      i18n.t('en-US', 'tickets.notify.openedDue', { number: ticket.number, category: i18n.t('en-US', 'tickets.category.exchange'), due }),
    ]);

    await bot.api('POST', `/api/tickets/${ticket.number}/notes`, agentToken, { body: 'Warehouse says out of stock' });
    await bot.api('POST', `/api/tickets/${ticket.number}/comments`, agentToken, { body: 'The blue one ships tomorrow.' });
    await bot.listener.waitFor(before + 2, 'pro-en');
    await bot.app.dispatcher.runUntilIdle();
    const sent = bot.listener.texts('pro-en').slice(before);
    expect(sent).toEqual([
      sent[0],
      i18n.t('en-US', 'tickets.notify.comment', { number: ticket.number, category: i18n.t('en-US', 'tickets.category.exchange'), comment: 'The blue one ships tomorrow.' }),
    ]);
    expect(sent.join('\n')).not.toContain('Warehouse');

    // The transcript recorded the proactive messages as outbound.
    const outbound = await bot.app.store.db.message.findMany({ where: { conversationId, direction: 'OUTBOUND' }, select: { text: true } });
    expect(outbound.map((m) => m.text)).toEqual(expect.arrayContaining(sent));
  });

  it('when the customer has no saved language, then the message is in the conversation\'s language', async () => {
    await bot.say({ text: '你好', locale: 'zh-CN', conversationId: 'pro-zh' });
    const { conversationId, customerId } = await rowsOf('pro-zh');
    const ticket = await bot.module.tickets.open({ customerId, conversationId, category: 'return', summary: '尺码不合适', actor: { type: 'bot' } });
    const before = bot.listener.for('pro-zh').length;
    await bot.api('POST', `/api/tickets/${ticket.number}/status`, agentToken, { status: 'OPEN' });
    await bot.api('POST', `/api/tickets/${ticket.number}/status`, agentToken, { status: 'PENDING_CUSTOMER', reason: 'need photos' });
    await bot.listener.waitFor(before + 2, 'pro-zh');
    expect(bot.listener.texts('pro-zh').slice(before)[1]).toBe(i18n.t('zh-CN', 'tickets.notify.waiting', { number: ticket.number, category: i18n.t('zh-CN', 'tickets.category.return') }));
  });
});
