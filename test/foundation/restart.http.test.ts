import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';

describe.each(PROVIDERS)('a restart in the middle of a conversation (%s store)', (provider) => {
  const bot = new TestBot(provider);
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when the bot restarts between a question and its answer, then the answer continues the same dialog', async () => {
    const [prompt] = await bot.say({ conversationId: 'c-restart', text: 'language', locale: 'en-US' });
    expect(prompt).toBe('Which language would you like me to use? / 请选择您希望使用的语言');

    await bot.restart();

    const [saved] = await bot.say({ conversationId: 'c-restart', text: '中文', locale: 'zh-CN' });
    expect(saved).toBe('好的，之后我会用中文为您服务。');
    const customer = await bot.app.store.db.customer.findFirstOrThrow({ where: { accounts: { some: { channelUserId: 'user-c-restart' } } } });
    expect(customer.locale).toBe('zh-CN');
  });
});
