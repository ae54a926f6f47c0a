import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';

/** Activities that pass the shape check but carry what the store or the turn cannot take (issue 14, low). */
describe.each(PROVIDERS)('odd fields in an activity (%s store)', (provider) => {
  const bot = new TestBot(provider);
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  const activity = (over: Record<string, unknown>, n: number) => ({
    type: 'message', id: `odd-${n}`, channelId: 'test', serviceUrl: bot.listener.url, locale: 'en-US', text: 'hello',
    conversation: { id: `odd-conv-${n}` }, from: { id: `odd-user-${n}` }, recipient: { id: 'bot' }, ...over,
  });

  test.each([
    ['a non-string replyToId', { replyToId: { $gt: '' } }, 'replyToId'],
    ['a NUL byte in the text', { text: 'hi\u0000there' }, 'text'],
    ['a lone surrogate in the text', { text: 'hi \ud83d there' }, 'text'],
    ['a year-0000 timestamp', { timestamp: '0000-01-01T00:00:00Z' }, 'timestamp'],
    ['a NUL byte in the sender id', { from: { id: 'a\u0000b' } }, 'from.id'],
  ])('when an activity carries %s, then 400 names the field and nothing is stored', async (_what, over, field) => {
    const n = Math.floor(Math.random() * 1e9);
    const before = await bot.app.store.db.message.count();
    const res = await bot.post('/api/messages', activity(over, n));
    expect(res.status).toBe(400);
    expect((res.json() as { message: string }).message).toContain(field);
    expect(await bot.app.store.db.message.count()).toBe(before);
  });

  test('when an activity carries an emoji (a proper surrogate pair) and a reply id, then it is answered as usual', async () => {
    const res = await bot.post('/api/messages', activity({ text: 'hello 👍', replyToId: 'abc' }, 1));
    expect(res.status).toBeLessThan(300);
    // Message text is sealed at rest (issue 17): compared in memory.
    expect((await bot.app.store.db.message.findMany({ where: { direction: 'INBOUND' } })).filter((m) => m.text === 'hello 👍')).toHaveLength(1);
  });
});
