import { TestBot } from '../support/harness';
import { PROVIDERS } from '../support/db';

const APOLOGY = '抱歉，系统刚刚出了点问题，您的信息没有丢失。请稍后再试，或输入“转人工”联系人工客服。';

describe.each(PROVIDERS)('a turn that fails (%s)', (provider) => {
  const bot = new TestBot(provider);
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when the bot state cannot be read, then the customer gets the localized apology and what was stored stays', async () => {
    await bot.say({ conversationId: 'c-fail', text: '你好', locale: 'zh-CN' }, 3);
    const before = await bot.app.store.db.message.count({ where: { conversation: { channelConversationId: 'c-fail' } } });

    // Break the state table under the running bot (as a failing disk or a bad migration would).
    await bot.app.store.db.$executeRawUnsafe('ALTER TABLE "BotState" RENAME TO "BotStateGone"');
    try {
      const [reply] = await bot.say({ conversationId: 'c-fail', text: '你好', locale: 'zh-CN' });
      expect(reply).toBe(APOLOGY);
    } finally {
      await bot.app.store.db.$executeRawUnsafe('ALTER TABLE "BotStateGone" RENAME TO "BotState"');
    }

    const messages = await bot.app.store.db.message.findMany({
      where: { conversation: { channelConversationId: 'c-fail' } },
      orderBy: { timestamp: 'asc' },
    });
    // Everything from before is still there, plus the failed turn's message and the apology.
    expect(messages).toHaveLength(before + 2);
    expect(messages.slice(-2).map((m) => [m.direction, m.text])).toEqual([
      ['INBOUND', '你好'],
      ['OUTBOUND', APOLOGY],
    ]);
    expect(await bot.app.store.db.customer.count()).toBe(1);
  });
});
