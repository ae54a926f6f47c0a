import { I18n } from '../../src/i18n/i18n';
import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';

const i18n = new I18n();

describe.each(PROVIDERS)('a restart in the middle of a conversation (%s store)', (provider) => {
  const bot = new TestBot(provider);
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when the bot restarts between a question and its answer, then the answer continues the same dialog', async () => {
    const [prompt] = await bot.say({ conversationId: 'c-restart', text: 'language', locale: 'en-US' });
    expect(prompt).toBe(i18n.t('en-US', 'account.language.prompt'));

    await bot.restart();

    const [saved] = await bot.say({ conversationId: 'c-restart', text: '中文', locale: 'zh-CN' });
    expect(saved).toBe(i18n.t('zh-CN', 'account.language.saved'));
    const customer = await bot.app.store.db.customer.findFirstOrThrow({ where: { accounts: { some: { channelUserId: 'user-c-restart' } } } });
    expect(customer.locale).toBe('zh-CN');
  });
});
