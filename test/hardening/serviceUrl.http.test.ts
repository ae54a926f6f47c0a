import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';
import { waitUntil } from '../support/wait';

describe.each(PROVIDERS)('serviceUrl without Bot Framework authentication (%s store)', (provider) => {
  const bot = new TestBot(provider, { BOT_SERVICE_URLS: 'https://channel.example.com' });
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when an activity names a serviceUrl that is not an allowed channel, then 400, nothing is stored and nothing is sent there', async () => {
    const before = await bot.app.store.db.message.count();
    for (const serviceUrl of [bot.listener.url, 'http://169.254.169.254/latest/meta-data', 'file:///etc/passwd', 'javascript:alert(1)', 'https://user:pw@channel.example.com']) {
      const res = await bot.post('/api/messages', { ...bot.activity({ conversationId: 'c-ssrf', text: 'hello' }), serviceUrl });
      expect([serviceUrl, res.status]).toEqual([serviceUrl, 400]);
      expect((res.json() as { message: string }).message).toMatch(/serviceUrl/);
    }
    expect(await bot.app.store.db.message.count()).toBe(before);
    expect(await bot.app.store.db.conversation.count({ where: { channelConversationId: 'c-ssrf' } })).toBe(0);
    expect(bot.listener.arrived).toBe(0);
  });

  test('when the built-in web chat sends a message, then its own connector is allowed and the customer gets the reply', async () => {
    const tokenRes = await fetch(`${bot.app.url}/webchat/api/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"locale":"en-US"}' });
    const { token, conversationId } = (await tokenRes.json()) as { token: string; conversationId: string };
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const base = `${bot.app.url}/v3/directline/conversations/${conversationId}/activities`;
    const sent = await fetch(base, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'message', text: 'hello', locale: 'en-US', from: { id: 'dl_u1' } }) });
    expect(sent.status).toBe(200);
    await waitUntil(async () => {
      const log = (await (await fetch(base, { headers: auth })).json()) as { activities: { from: { id: string } }[] };
      return log.activities.some((a) => a.from.id !== 'dl_u1');
    }, 'the bot\'s reply in the web chat', { timeoutMs: 15_000, everyMs: 100 });
  });
});

describe('attachments posted straight to the web chat channel', () => {
  const bot = new TestBot('sqlite');
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when a "photo" points at javascript: or another site, then it becomes inert text and no link reaches the bot or the log', async () => {
    const tokenRes = await fetch(`${bot.app.url}/webchat/api/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { token, conversationId } = (await tokenRes.json()) as { token: string; conversationId: string };
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const base = `${bot.app.url}/v3/directline/conversations/${conversationId}/activities`;
    const forged = [
      { contentType: 'image/png', contentUrl: 'javascript:alert(document.cookie)', name: 'a.png' },
      { contentType: 'image/png', contentUrl: 'https://evil.example/webchat/uploads/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.png', name: 'b.png' },
    ];
    const sent = await fetch(base, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'message', text: 'see photo', from: { id: 'dl_u2' }, attachments: forged }) });
    expect(sent.status).toBe(200);
    const log = (await (await fetch(base, { headers: auth })).json()) as { activities: { attachments?: { contentType: string; contentUrl?: string; content?: string }[] }[] };
    const attachments = log.activities.flatMap((a) => a.attachments ?? []);
    expect(attachments).toHaveLength(2);
    expect(attachments.every((a) => a.contentType === 'text/plain' && a.contentUrl === undefined)).toBe(true);
    await waitUntil(async () => (await bot.app.store.db.message.count({ where: { direction: 'INBOUND' } })) > 0, 'the message stored');
    const stored = JSON.stringify(await bot.app.store.db.message.findMany({ where: { direction: 'INBOUND' } }));
    expect(stored).not.toMatch(/"contentUrl":"javascript:/);
  });
});
