import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';

async function rowCounts(bot: TestBot) {
  const db = bot.app.store.db;
  return { customers: await db.customer.count(), conversations: await db.conversation.count(), messages: await db.message.count(), state: await db.botState.count() };
}

describe.each(PROVIDERS)('bad input on the HTTP API (%s store)', (provider) => {
  const bot = new TestBot(provider, { MAX_BODY_BYTES: '4096' });
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when the activity is malformed, then 400 names the bad fields and nothing is stored', async () => {
    const before = await rowCounts(bot);
    const res = await bot.post('/api/messages', { type: 'message', text: 'hi', conversation: {} });
    expect(res.status).toBe(400);
    const body = res.json() as { error: string; message: string };
    expect(body.error).toBe('invalid_request');
    expect(body.message).toMatch(/channelId/);
    expect(body.message).toMatch(/serviceUrl/);
    expect(body.message).toMatch(/conversation\.id/);
    expect(await rowCounts(bot)).toEqual(before);
  });

  test('when the body is not JSON, then 400 and nothing is stored', async () => {
    const before = await rowCounts(bot);
    const res = await bot.post('/api/messages', '{"type": "message", ');
    expect(res.status).toBe(400);
    expect(await rowCounts(bot)).toEqual(before);
  });

  test('when the body is empty, then 400 (not the adapter\'s 500)', async () => {
    const res = await bot.post('/api/messages', '');
    expect(res.status).toBe(400);
  });

  test('when the content type is not JSON, then 415 with a reason', async () => {
    const res = await bot.post('/api/messages', 'type=message', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect((res.json() as { message: string }).message).toMatch(/application\/json/);
  });

  test('when the body is larger than MAX_BODY_BYTES, then 413 and nothing is stored', async () => {
    const before = await rowCounts(bot);
    const res = await bot.post('/api/messages', bot.activity({ conversationId: 'c-big', text: 'x'.repeat(10_000) }));
    expect(res.status).toBe(413);
    expect(await rowCounts(bot)).toEqual(before);
  });

  test('when the route does not exist, then 404', async () => {
    const res = await fetch(`${bot.app.url}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect((await fetch(`${bot.app.url}/api/messages`)).status).toBe(405);
  });

  test('when the store is reachable, then /healthz and /readyz answer 200', async () => {
    expect((await fetch(`${bot.app.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${bot.app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', store: provider });
  });
});

describe('Bot Framework authentication', () => {
  const bot = new TestBot('sqlite', { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret' });
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when an app id is configured and the request has no token, then 401 and nothing is stored', async () => {
    const res = await bot.post('/api/messages', bot.activity({ conversationId: 'c-auth', text: 'hi' }));
    expect(res.status).toBe(401);
    expect(await bot.app.store.db.message.count()).toBe(0);
  });
});
