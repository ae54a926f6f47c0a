import zlib from 'node:zlib';
import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';

/** A raw POST with the headers given (fetch sends an encoded body as it is). */
async function send(bot: TestBot, path: string, body: Buffer | string, headers: Record<string, string>) {
  const res = await fetch(`${bot.app.url}${path}`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as { error: string | { code: string }; message?: string } };
}

describe.each(PROVIDERS)('compressed and broken request bodies (%s store)', (provider) => {
  const bot = new TestBot(provider, { MAX_BODY_BYTES: '65536' });
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());
  const gzipJson = { 'content-type': 'application/json', 'content-encoding': 'gzip' };

  test('when a body says gzip but is not gzip, then 400 with a reason, nothing is stored, and the bot goes on serving', async () => {
    const before = await bot.app.store.db.message.count();
    for (const path of ['/api/messages', '/webchat/api/token', '/v3/directline/conversations', '/api/tickets/T202611260001/comments']) {
      const res = await send(bot, path, '{}', gzipJson);
      expect([path, res.status]).toEqual([path, 400]);
    }
    expect(await bot.app.store.db.message.count()).toBe(before);
    expect((await fetch(`${bot.app.url}/healthz`)).status).toBe(200);
    expect(await bot.say({ conversationId: 'c-after-bad-gzip', text: 'hello', locale: 'en-US' })).not.toHaveLength(0);
  });

  test('when an activity is sent gzipped or deflated, then it is answered and stored like any other', async () => {
    for (const [encoding, pack] of [['gzip', zlib.gzipSync], ['deflate', zlib.deflateSync]] as const) {
      const conversationId = `c-${encoding}`;
      const res = await send(bot, '/api/messages', pack(JSON.stringify(bot.activity({ conversationId, text: 'hello', locale: 'en-US' }))), {
        'content-type': 'application/json',
        'content-encoding': encoding,
      });
      expect(res.status).toBe(200);
      await bot.listener.waitFor(1, conversationId);
      expect(await bot.app.store.db.message.count({ where: { direction: 'INBOUND', conversation: { channelConversationId: conversationId } } })).toBe(1);
    }
  });

  test('when a small gzip body inflates past MAX_BODY_BYTES, then 413 and nothing is stored', async () => {
    const before = await bot.app.store.db.message.count();
    const bomb = zlib.gzipSync(JSON.stringify(bot.activity({ conversationId: 'c-bomb', text: 'x'.repeat(5_000_000) })));
    expect(bomb.length).toBeLessThan(65536);
    const res = await send(bot, '/api/messages', bomb, gzipJson);
    expect(res.status).toBe(413);
    expect(res.json().message).toMatch(/65536/);
    expect(await bot.app.store.db.message.count()).toBe(before);
  });

  test('when the encoding is one the bot does not read, then 415 naming it', async () => {
    const res = await send(bot, '/api/messages', '{}', { 'content-type': 'application/json', 'content-encoding': 'br' });
    expect(res.status).toBe(415);
    expect(res.json().message).toMatch(/br/);
  });

  test('when an upload says gzip but is not gzip, then 400 and the bot goes on serving', async () => {
    const token = await send(bot, '/webchat/api/token', '{}', { 'content-type': 'application/json' });
    expect(token.status).toBe(200);
    const { token: conversationToken, conversationId } = JSON.parse(token.text) as { token: string; conversationId: string };
    const res = await send(bot, `/v3/directline/conversations/${conversationId}/upload?userId=u1`, 'not gzip at all', {
      'content-type': 'multipart/form-data; boundary=x',
      'content-encoding': 'gzip',
      authorization: `Bearer ${conversationToken}`,
    });
    expect(res.status).toBe(400);
    expect((await fetch(`${bot.app.url}/healthz`)).status).toBe(200);
  });
});
