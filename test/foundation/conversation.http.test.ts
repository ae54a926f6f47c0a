import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';
import { GREETING, WELCOME, expectInOrder } from '../support/reads';

describe.each(PROVIDERS)('a customer talking to the bot over HTTP (%s store)', (provider) => {
  const bot = new TestBot(provider);
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when a customer says hello in Chinese, then the welcome arrives in Chinese at the serviceUrl and everything is stored', async () => {
    const texts = await bot.say({ conversationId: 'c-zh', text: '你好', locale: 'zh-CN', id: 'in-zh-1' }, 3);
    expect(texts).toHaveLength(3);
    expectInOrder('你好', texts.join('\n'), WELCOME['zh-CN']);
    const reply = bot.listener.for('c-zh')[0];
    expect(reply.replyToId).toBe('in-zh-1');

    const db = bot.app.store.db;
    const conversation = await db.conversation.findUniqueOrThrow({
      where: { channelId_channelConversationId: { channelId: 'test', channelConversationId: 'c-zh' } },
      include: { customer: { include: { accounts: true } }, messages: { orderBy: { timestamp: 'asc' } } },
    });
    expect(conversation.customer?.accounts).toEqual([expect.objectContaining({ channelId: 'test', channelUserId: 'user-c-zh' })]);
    expect((conversation.reference as { serviceUrl: string }).serviceUrl).toBe(bot.listener.url);
    const inbound = conversation.messages.filter((m) => m.direction === 'INBOUND');
    const outbound = conversation.messages.filter((m) => m.direction === 'OUTBOUND');
    expect(inbound).toEqual([expect.objectContaining({ activityId: 'in-zh-1', text: '你好', activityType: 'message', customerId: conversation.customerId })]);
    expect(outbound.map((m) => m.text)).toEqual(texts);
    expect(outbound.every((m) => m.replyToId === 'in-zh-1')).toBe(true);
  });

  test('when the activity carries no locale and the text does not decide the language, then the store default (zh-CN) is used, and en-US activities get English', async () => {
    // "hi" says nothing about the language (an English word is read as English: see test/dialogs/language.test.ts).
    const zh = await bot.say({ conversationId: 'c-default', text: 'hi' }, 3);
    expect(zh[0]).toBe(GREETING['zh-CN']);
    const en = await bot.say({ conversationId: 'c-en', text: 'hello', locale: 'en-US' }, 3);
    expect(en[0]).toBe(GREETING['en-US']);
  });

  test('when the channel retries the same activity id, then it is stored once and answered once', async () => {
    const activity = bot.activity({ conversationId: 'c-retry', id: 'retry-1', text: 'hi', locale: 'en-US' });
    const first = await bot.post('/api/messages', activity);
    const second = await bot.post('/api/messages', activity);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(bot.listener.for('c-retry')).toHaveLength(3);
    const inbound = await bot.app.store.db.message.count({ where: { activityId: 'retry-1', direction: 'INBOUND' } });
    expect(inbound).toBe(1);
  });

  test('when a message was stored but its turn never finished (the process died), then the channel\'s retry is answered, and the message is stored once', async () => {
    await bot.say({ conversationId: 'c-died', text: 'hi', locale: 'en-US', id: 'died-0' }, 3);
    const conversation = await bot.app.store.db.conversation.findUniqueOrThrow({ where: { channelId_channelConversationId: { channelId: 'test', channelConversationId: 'c-died' } } });
    // What a turn leaves behind when its process is killed after storing the message, before the replies.
    await bot.app.store.db.message.create({
      data: { conversationId: conversation.id, customerId: conversation.customerId, direction: 'INBOUND', senderType: 'customer', activityType: 'message', activityId: 'died-1', inboundKey: 'died-1', text: 'language', locale: 'en-US', timestamp: new Date() },
    });
    const before = bot.listener.for('c-died').length;
    const retry = await bot.post('/api/messages', bot.activity({ conversationId: 'c-died', id: 'died-1', text: 'language', locale: 'en-US' }));
    expect(retry.status).toBe(200);
    await bot.listener.waitFor(before + 1, 'c-died');
    const answer = bot.listener.for('c-died').slice(before);
    expect(answer.map((r) => r.activity.replyToId)).toEqual(answer.map(() => 'died-1'));
    expect(answer[0].activity.text).toMatch(/language/i);
    expect(await bot.app.store.db.message.count({ where: { conversationId: conversation.id, activityId: 'died-1', direction: 'INBOUND' } })).toBe(1);
    // Answered now: a further retry is not answered again.
    await bot.post('/api/messages', bot.activity({ conversationId: 'c-died', id: 'died-1', text: 'language', locale: 'en-US' }));
    expect(bot.listener.for('c-died')).toHaveLength(before + answer.length);
  });

  test('when the channel retries a message while its first turn is still running, then it is not answered twice', async () => {
    await bot.say({ conversationId: 'c-slow', text: 'hi', locale: 'en-US', id: 'slow-0' }, 3);
    bot.listener.hold(); // the channel does not take the replies yet: the first turn stays in flight
    const activity = bot.activity({ conversationId: 'c-slow', id: 'slow-1', text: 'language', locale: 'en-US' });
    const first = bot.post('/api/messages', activity);
    await bot.listener.waitForArrivals(bot.listener.arrived + 1);
    const second = await bot.post('/api/messages', activity);
    bot.listener.release();
    expect([(await first).status, second.status]).toEqual([200, 200]);
    expect(bot.listener.for('c-slow').filter((r) => r.activity.replyToId === 'slow-1')).toHaveLength(1);
  });

  test('when the channel asks for expectReplies, then the replies come back in the HTTP response body', async () => {
    const res = await bot.post('/api/messages', bot.activity({ conversationId: 'c-expect', text: 'hi', locale: 'en-US', deliveryMode: 'expectReplies' }));
    expect(res.status).toBe(200);
    const body = res.json() as { activities: { text: string }[] };
    const texts = body.activities.map((a) => a.text);
    expect(texts).toHaveLength(3);
    expectInOrder('hi', texts.join('\n'), WELCOME['en-US']);
    expect(bot.listener.for('c-expect')).toHaveLength(0);
  });

  test('when a customer joins the conversation, then they are welcomed without having to write first', async () => {
    const texts = await bot.say({ type: 'conversationUpdate', conversationId: 'c-join', locale: 'en-US', membersAdded: [{ id: 'user-c-join' }] }, 3);
    expect(texts[0]).toBe(GREETING['en-US']);
  });

  test('when the bot does not understand, then it says so in the customer\'s language and offers the menu', async () => {
    const [text] = await bot.say({ conversationId: 'c-fallback', text: 'zxcvbnm qwerty', locale: 'en-US' });
    expect(text).toBe("Sorry, I didn't quite get that. Could you say it another way, or pick one of the options below?");
    const actions = bot.listener.for('c-fallback')[0].activity.suggestedActions?.actions.map((a) => a.title);
    expect(actions).toEqual(['Order status', 'Cancel an order', 'Change address', 'Returns & exchanges', 'Repair', 'Make a complaint', 'FAQ', 'My points', 'My data', 'My tickets', 'Talk to a person', '语言 / Language']);
  });

  test('when a customer picks a language, then later turns without a channel locale use it and the change is audit-logged', async () => {
    const [prompt] = await bot.say({ conversationId: 'c-lang', text: '切换语言 / Language' });
    expect(prompt).toBe('请选择您希望使用的语言 / Which language would you like me to use?');
    expect(bot.listener.for('c-lang')[0].activity.suggestedActions?.actions.map((a) => a.title)).toEqual(['中文', 'English']);
    const [saved] = await bot.say({ conversationId: 'c-lang', text: 'English' });
    expect(saved).toBe("Sure, I'll use English from now on.");
    const [fallback] = await bot.say({ conversationId: 'c-lang', text: 'qwertyuiop' });
    expect(fallback).toBe("Sorry, I didn't quite get that. Could you say it another way, or pick one of the options below?");

    const db = bot.app.store.db;
    const account = await db.channelAccount.findUniqueOrThrow({ where: { channelId_channelUserId: { channelId: 'test', channelUserId: 'user-c-lang' } }, include: { customer: true } });
    expect(account.customer.locale).toBe('en-US');
    const audit = await db.auditLog.findMany({ where: { entity: 'Customer', entityId: account.customerId } });
    expect(audit).toEqual([
      expect.objectContaining({ actorType: 'customer', actorId: account.customerId, action: 'customer.update', before: { locale: null }, after: { locale: 'en-US' } }),
    ]);
  });

  test('when the answer to the language question is not a language, then the bot re-asks with a localized hint', async () => {
    await bot.say({ conversationId: 'c-lang-bad', text: 'language', locale: 'en-US' });
    const [retry] = await bot.say({ conversationId: 'c-lang-bad', text: 'purple', locale: 'en-US' });
    expect(retry).toBe('Please pick a language from the options: 中文 or English.');
  });
});
