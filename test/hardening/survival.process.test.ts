import { createTestDatabase, type TestDatabase } from '../support/db';
import { startKefu, type KefuProcess } from '../support/kefuProcess';

/** `npm start` as in production; what a hostile or broken client does must not end it. */
describe('the bot process under hostile requests', () => {
  let database: TestDatabase;
  let bot: KefuProcess;
  let url: string;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite', 'survival');
    bot = startKefu({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DB_SEED_ON_START: 'false', DATABASE_URL: database.url });
    url = (JSON.parse(await bot.waitForLine((l) => l.includes('kefu is listening'))) as { url: string }).url;
  }, 60_000);
  afterAll(async () => {
    if (bot.child.exitCode === null) {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
    await database.drop();
  });

  test('when anonymous requests carry a body that says gzip but is not, then each gets 400 and the process keeps serving', async () => {
    for (const path of ['/webchat/api/token', '/api/messages', '/v3/directline/tokens/generate']) {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: '{}' });
      expect([path, res.status]).toEqual([path, 400]);
    }
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(bot.child.exitCode).toBeNull();
    expect(bot.output()).not.toMatch(/Unhandled 'error' event/);
  });
});
