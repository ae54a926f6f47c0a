import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';

/*
 * Nothing personal in the logs (issue 17): a conversation that gives a phone, an e-mail and an
 * address, and one that fails, with every log line captured at the most verbose level.
 */
const PHONE = '13698765432';
const EMAIL = 'li.na.private@example.com';
const ADDRESS = '南京市鼓楼区中山路隐私大厦12层';

class Capture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(chunk.toString('utf8'));
    done();
  }
}

describe.each(PROVIDERS)('logs (%s store)', (provider) => {
  const capture = new Capture();
  const bot = new TestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false', DB_SEED_ON_START: 'true' }, { logger: createLogger('trace', { destination: capture }) });
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when a customer gives a phone, an e-mail and an address, and a turn is retried by the channel, then the captured log lines hold none of them', async () => {
    const db = bot.app.store.db;
    const customer = await db.customer.findUniqueOrThrow({ where: { externalId: 'C1021' } });
    await db.channelAccount.create({ data: { channelId: 'test', channelUserId: 'user-c-logs', customerId: customer.id } });
    const c = { conversationId: 'c-logs', locale: 'zh-CN' };
    await bot.say({ ...c, text: '你好' }, 3);
    for (const [ask, value] of [['更正电话', PHONE], ['更正邮箱', EMAIL], ['更正地址', ADDRESS]]) {
      await bot.say({ ...c, text: '我的个人信息' });
      await bot.say({ ...c, text: ask });
      expect((await bot.say({ ...c, text: value })).join('\n')).toContain(value);
    }
    // A channel's retry of the same activity is logged (and not answered twice).
    const retried = bot.activity({ ...c, id: 'act-retried', text: `我的电话是 ${PHONE}` });
    await bot.post('/api/messages', retried);
    await bot.post('/api/messages', retried);

    const log = capture.lines.join('');
    expect(log).toContain('duplicate inbound activity ignored');
    for (const value of [PHONE, EMAIL, ADDRESS, customer.phone!, customer.email!, customer.address!, customer.name!]) expect(log.includes(value) ? value : 'absent').toBe('absent');
  });
});
