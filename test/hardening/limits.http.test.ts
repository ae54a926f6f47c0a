import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082', 'hex');

async function webchatToken(bot: TestBot, headers: Record<string, string> = {}) {
  const res = await fetch(`${bot.app.url}/webchat/api/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { token: string; conversationId: string; error?: { code: string; message: string } } };
}

function inboundCount(bot: TestBot, conversationId: string) {
  return bot.app.store.db.message.count({ where: { direction: 'INBOUND', conversation: { channelConversationId: conversationId } } });
}

describe.each(PROVIDERS)('rate limits and activity limits (%s store)', (provider) => {
  const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-uploads-'));
  const bot = new TestBot(provider, {
    RATE_LIMIT_TOKENS_PER_MINUTE: '3',
    RATE_LIMIT_MESSAGES_PER_MINUTE: '3',
    RATE_LIMIT_UPLOADS_PER_MINUTE: '2',
    MAX_CHANNEL_DATA_BYTES: '1024',
    MAX_ATTACHMENTS: '3',
    TRUST_PROXY_HOPS: '1', // each test speaks from its own client address, as a proxy in front would say
    WEBCHAT_UPLOAD_DIR: uploadDir,
  });
  beforeAll(() => bot.start(), 60_000);
  afterAll(async () => {
    await bot.stop();
    fs.rmSync(uploadDir, { recursive: true, force: true });
  });

  test('when one address asks for more web chat tokens than the limit, then 429 with Retry-After and a reason in its language', async () => {
    const from = { 'x-forwarded-for': '203.0.113.1' };
    for (let i = 0; i < 3; i++) expect((await webchatToken(bot, from)).status).toBe(200);
    expect((await webchatToken(bot, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(200); // another address has its own quota
    const english = await webchatToken(bot, { ...from, 'accept-language': 'en-US,en;q=0.9' });
    expect(english.status).toBe(429);
    expect(Number(english.retryAfter)).toBeGreaterThan(0);
    expect(english.body.error?.message).toMatch(/too quickly.*wait \d+ seconds/);
    const chinese = await webchatToken(bot, { ...from, 'accept-language': 'zh-CN' });
    expect(chinese.status).toBe(429);
    expect(chinese.body.error?.message).toMatch(/太快.*\d+ 秒/);
  });

  test('when one conversation sends more messages than the limit, then the extra one gets 429 and is not stored, and other conversations are served', async () => {
    for (let i = 0; i < 3; i++) await bot.say({ conversationId: 'c-flood', text: `hello ${i}`, locale: 'en-US' });
    const res = await bot.post('/api/messages', bot.activity({ conversationId: 'c-flood', text: 'one more', locale: 'en-US' }));
    expect(res.status).toBe(429);
    expect((res.json() as { message: string }).message).toMatch(/too quickly/);
    expect(await inboundCount(bot, 'c-flood')).toBe(3);
    expect(await bot.say({ conversationId: 'c-calm', text: 'hello', locale: 'en-US' })).not.toHaveLength(0);
  });

  test('when an activity carries oversized channelData, too many attachments or a 10 000-deep object, then 400 with the reason and nothing is stored', async () => {
    const deep = `${'{"a":'.repeat(10_000)}{}${'}'.repeat(10_000)}`; // too deep for JSON.stringify to write
    const cases: [string, RegExp][] = [
      [JSON.stringify({ junk: 'x'.repeat(2000) }), /channelData.*1024/],
      [`{}, "attachments": ${JSON.stringify(Array.from({ length: 4 }, () => ({ contentType: 'text/plain', content: 'x' })))}`, /at most 3 attachments/],
      [deep, /nests deeper/],
    ];
    for (const [i, [channelData, reason]] of cases.entries()) {
      const conversationId = `c-limits-${i}`;
      const res = await bot.post('/api/messages', `${JSON.stringify(bot.activity({ conversationId, text: 'hi' })).slice(0, -1)}, "channelData": ${channelData}}`);
      expect([i, res.status]).toEqual([i, 400]);
      expect((res.json() as { message: string }).message).toMatch(reason);
      expect(await inboundCount(bot, conversationId)).toBe(0);
    }
  });

  test('when an upload has more files than MAX_ATTACHMENTS, then 400 and no file is written; uploads per address are limited too', async () => {
    const from = { 'x-forwarded-for': '203.0.113.2' };
    const { body: { token, conversationId } } = await webchatToken(bot, from);
    const upload = (count: number) => {
      const form = new FormData();
      for (let i = 0; i < count; i++) form.append('file', new Blob([PNG], { type: 'image/png' }), `p${i}.png`);
      return fetch(`${bot.app.url}/v3/directline/conversations/${conversationId}/upload?userId=u`, { method: 'POST', headers: { ...from, authorization: `Bearer ${token}` }, body: form });
    };
    const before = fs.readdirSync(uploadDir).length;
    const tooMany = await upload(4);
    expect(tooMany.status).toBe(400);
    expect(fs.readdirSync(uploadDir)).toHaveLength(before);
    expect((await upload(1)).status).toBe(200);
    expect((await upload(1)).status).toBe(429); // the refused upload counted too: 2 per minute
  });
});


describe('uploaded photos on disk', () => {
  const uploadDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-uploads-')), 'photos');
  const bot = new TestBot('sqlite', { WEBCHAT_UPLOAD_DIR: uploadDir, WEBCHAT_UPLOAD_RETENTION_DAYS: '30' });
  beforeAll(() => bot.start(), 60_000);
  afterAll(async () => {
    await bot.stop();
    fs.rmSync(path.dirname(uploadDir), { recursive: true, force: true });
  });

  test('when photos are older than WEBCHAT_UPLOAD_RETENTION_DAYS, then the daily job deletes them and keeps the newer ones; the folder and files are private', async () => {
    const { body } = await webchatToken(bot);
    const form = new FormData();
    for (let i = 0; i < 2; i++) form.append('file', new Blob([PNG], { type: 'image/png' }), `p${i}.png`);
    const res = await fetch(`${bot.app.url}/v3/directline/conversations/${body.conversationId}/upload?userId=u`, { method: 'POST', headers: { authorization: `Bearer ${body.token}` }, body: form });
    expect(res.status).toBe(200);
    const [old, recent] = fs.readdirSync(uploadDir);
    expect(fs.statSync(uploadDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(uploadDir, old)).mode & 0o777).toBe(0o600);
    const longAgo = new Date(Date.now() - 31 * 86_400_000);
    fs.utimesSync(path.join(uploadDir, old), longAgo, longAgo);

    const job = bot.app.features.webchat.jobs?.find((j) => j.name === 'webchat.upload-retention');
    expect(await job?.run(new Date())).toBe(1);
    expect(fs.readdirSync(uploadDir)).toEqual([recent]);
    expect((await fetch(`${bot.app.url}/webchat/uploads/${old}`)).status).toBe(404);
  });
});

describe('rate limits shared by several instances through Redis', () => {
  const shared = { REDIS_URL: process.env.KEFU_TEST_REDIS ?? 'redis://127.0.0.1:6379', RATE_LIMIT_PREFIX: `kefu-test-shared-${process.pid}-${Date.now()}`, RATE_LIMIT_TOKENS_PER_MINUTE: '2' };
  const a = new TestBot('sqlite', shared);
  const b = new TestBot('sqlite', shared);
  beforeAll(async () => {
    await a.start();
    await b.start();
  }, 90_000);
  afterAll(async () => {
    await a.stop();
    await b.stop();
  });

  test('when one address asks each instance in turn, then the limit counts its requests to all of them', async () => {
    expect((await webchatToken(a)).status).toBe(200);
    expect((await webchatToken(b)).status).toBe(200);
    expect((await webchatToken(a)).status).toBe(429);
    expect((await webchatToken(b)).status).toBe(429);
  });
});
