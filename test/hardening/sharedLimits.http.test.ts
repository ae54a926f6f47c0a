import crypto from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { TestBot } from '../support/harness';

/**
 * Several instances on one PostgreSQL database and no Redis: the limits of the anonymous entry points
 * (tokens, uploads) are counted in the database (table "RateLimit"), so a client cannot get twice its
 * quota by being balanced across them. A conversation's messages are counted by each instance (a
 * shared count is an upsert on every turn: about a quarter of a turn's CPU, measured).
 */
describe('rate limits shared by two instances on one PostgreSQL database, without Redis', () => {
  let database: TestDatabase;
  const settings = {
    RATE_LIMIT_TOKENS_PER_MINUTE: '3',
    RATE_LIMIT_MESSAGES_PER_MINUTE: '2',
    RATE_LIMIT_PREFIX: `kefu-shared-${crypto.randomBytes(4).toString('hex')}`,
    TRUST_PROXY_HOPS: '1',
  };
  const a = new TestBot('postgresql', settings);
  const b = new TestBot('postgresql', settings);

  beforeAll(async () => {
    database = await createTestDatabase('postgresql', 'sharedlimits');
    await a.start(database);
    await b.start(database);
  }, 60_000);
  afterAll(async () => {
    for (const bot of [a, b]) {
      await bot.app?.stop();
      await bot.listener.stop();
    }
    await database?.drop();
  });

  const token = (bot: TestBot, ip: string) =>
    fetch(`${bot.app.url}/webchat/api/token`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: '{}' }).then(async (res) => {
      await res.arrayBuffer();
      return res.status;
    });

  test('when one address asks both instances for tokens, then together they allow the limit once, and refuse the rest on either', async () => {
    const ip = '198.51.100.7';
    expect([await token(a, ip), await token(b, ip), await token(a, ip)]).toEqual([200, 200, 200]);
    expect(await token(b, ip)).toBe(429);
    expect(await token(a, ip)).toBe(429);
    expect(await token(b, '198.51.100.8')).toBe(200); // another address has its own quota
    const rows = await a.app.store.db.rateLimit.findMany({ where: { key: { startsWith: settings.RATE_LIMIT_PREFIX } } });
    expect(rows.map((r) => [r.key.endsWith(':198.51.100.7'), r.points]).filter(([mine]) => mine)).toEqual([[true, 5]]);
  });

  test('when one conversation writes to both instances, then each instance counts its messages (at most twice the limit in all), and none is counted in the database', async () => {
    const conversationId = 'c-shared-flood';
    const statuses: number[] = [];
    for (const [bot, text] of [[a, 'hello'], [b, 'hello again'], [a, 'one more'], [b, 'and another'], [a, 'too many']] as const) {
      // The same channel conversation, balanced between the instances (the replies go to a's listener's channel).
      statuses.push((await bot.post('/api/messages', a.activity({ conversationId, text, locale: 'en-US' }))).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect(await a.app.store.db.message.count({ where: { direction: 'INBOUND', conversation: { channelConversationId: conversationId } } })).toBe(4);
    expect(await a.app.store.db.rateLimit.count({ where: { key: { contains: '-message' } } })).toBe(0);
  });
});
