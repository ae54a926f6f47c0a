import { I18n } from '../../src/i18n/i18n';
import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';

const i18n = new I18n();

describe.each(PROVIDERS)('a customer talking to the bot over HTTP (%s store)', (provider) => {
  const bot = new TestBot(provider);
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when a customer says hello in Chinese, then the welcome arrives in Chinese at the serviceUrl and everything is stored', async () => {
    const texts = await bot.say({ conversationId: 'c-zh', text: '你好', locale: 'zh-CN', id: 'in-zh-1' }, 3);
    expect(texts).toEqual([
      i18n.t('zh-CN', 'messages.welcome.greeting'),
      i18n.t('zh-CN', 'messages.welcome.capabilities'),
      i18n.t('zh-CN', 'messages.welcome.prompt'),
    ]);
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
    expect(zh[0]).toBe(i18n.t('zh-CN', 'messages.welcome.greeting'));
    const en = await bot.say({ conversationId: 'c-en', text: 'hello', locale: 'en-US' }, 3);
    expect(en[0]).toBe(i18n.t('en-US', 'messages.welcome.greeting'));
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

  test('when the channel asks for expectReplies, then the replies come back in the HTTP response body', async () => {
    const res = await bot.post('/api/messages', bot.activity({ conversationId: 'c-expect', text: 'hi', locale: 'en-US', deliveryMode: 'expectReplies' }));
    expect(res.status).toBe(200);
    const body = res.json() as { activities: { text: string }[] };
    expect(body.activities.map((a) => a.text)).toEqual([
      i18n.t('en-US', 'messages.welcome.greeting'),
      i18n.t('en-US', 'messages.welcome.capabilities'),
      i18n.t('en-US', 'messages.welcome.prompt'),
    ]);
    expect(bot.listener.for('c-expect')).toHaveLength(0);
  });

  test('when a customer joins the conversation, then they are welcomed without having to write first', async () => {
    const texts = await bot.say({ type: 'conversationUpdate', conversationId: 'c-join', locale: 'en-US', membersAdded: [{ id: 'user-c-join' }] }, 3);
    expect(texts[0]).toBe(i18n.t('en-US', 'messages.welcome.greeting'));
  });

  test('when the bot does not understand, then it says so in the customer\'s language and offers the menu', async () => {
    const [text] = await bot.say({ conversationId: 'c-fallback', text: 'zxcvbnm qwerty', locale: 'en-US' });
    expect(text).toBe(i18n.t('en-US', 'messages.fallback.notUnderstood'));
    const actions = bot.listener.for('c-fallback')[0].activity.suggestedActions?.actions.map((a) => a.title);
    expect(actions).toContain(i18n.t('en-US', 'account.menu.language'));
  });

  test('when a customer picks a language, then later turns without a channel locale use it and the change is audit-logged', async () => {
    const [prompt] = await bot.say({ conversationId: 'c-lang', text: i18n.t('zh-CN', 'account.menu.language') });
    expect(prompt).toBe(i18n.t('zh-CN', 'account.language.prompt'));
    const [saved] = await bot.say({ conversationId: 'c-lang', text: 'English' });
    expect(saved).toBe(i18n.t('en-US', 'account.language.saved'));
    const [fallback] = await bot.say({ conversationId: 'c-lang', text: 'qwertyuiop' });
    expect(fallback).toBe(i18n.t('en-US', 'messages.fallback.notUnderstood'));

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
    expect(retry).toBe(i18n.t('en-US', 'account.language.retry'));
  });
});
