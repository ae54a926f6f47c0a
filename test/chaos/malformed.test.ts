import net from 'node:net';
import zlib from 'node:zlib';
import { AgentService } from '../../src/features/tickets/agents';
import { openStore } from '../../src/store/db';
import { PROVIDERS, createTestDatabase, type TestDatabase } from '../support/db';
import { startKefu, type KefuProcess } from '../support/kefuProcess';
import { FULL } from './support';

type Probe = (base: string) => Promise<number>;

const json = { 'content-type': 'application/json' };
const post = (path: string, body: string | Buffer, headers: Record<string, string> = json) => async (base: string) => {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers, body });
  await res.arrayBuffer();
  return res.status;
};
const get = (path: string, headers: Record<string, string> = {}) => async (base: string) => {
  const res = await fetch(`${base}${path}`, { headers });
  await res.arrayBuffer();
  return res.status;
};

/** An activity as a channel posts it, with `patch` over it (raw JSON text: lone surrogates, deep nesting). */
function activity(patch: string, n: number): string {
  const base = JSON.stringify({
    type: 'message', id: `bad-${n}`, channelId: 'test', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: `bad-c-${n}` }, from: { id: `bad-u-${n}` }, recipient: { id: 'kefu-bot' }, text: 'hi',
  });
  return patch ? `${base.slice(0, -1)}, ${patch}}` : base;
}

/** A WebSocket upgrade to a path that takes none: the status line it gets (the socket is then closed). */
const upgrade = (path: string) => (base: string) =>
  new Promise<number>((resolve, reject) => {
    const { port } = new URL(base);
    const socket = net.connect(Number(port), '127.0.0.1', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`),
    );
    let head = '';
    socket.on('data', (d: Buffer) => (head += d.toString()));
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)));
    socket.on('error', reject);
    socket.setTimeout(30_000, () => socket.destroy());
  });

/**
 * 1 000 malformed requests of every kind issue 14 found (bad and bombing compression, over-large and
 * truncated bodies, hostile serviceUrls, non-string ids, deep nesting, NUL bytes and lone surrogates,
 * year-0000 and impossible dates, garbled cookies, forged tokens, stray WebSocket upgrades, thousands
 * of upload parts) at the bot as `npm start` runs it: no 5xx, no crash, and it serves on.
 */
describe.each(FULL ? PROVIDERS : (['postgresql'] as const))('1 000 malformed requests (%s)', (provider) => {
  let database: TestDatabase;
  let bot: KefuProcess;
  let base = '';
  let staff = '';
  let chat = { token: '', conversationId: '' };
  beforeAll(async () => {
    database = await createTestDatabase(provider, 'malformed');
    bot = startKefu(
      { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, LOG_LEVEL: 'info', DB_SEED_ON_START: 'false', RATE_LIMIT_MESSAGES_PER_MINUTE: '100000', RATE_LIMIT_TOKENS_PER_MINUTE: '100000', RATE_LIMIT_UPLOADS_PER_MINUTE: '100000', SHOP_WEBHOOK_SECRET: 'chaos-shop-secret-0123456789' },
      { command: ['node', '--import', 'tsx', 'src/index.ts'] },
    );
    base = (JSON.parse(await bot.waitForLine((l) => l.includes('kefu is listening'), 90_000)) as { url: string }).url;
    const store = await openStore(database.url, { poolSize: 2 });
    staff = (await new AgentService(store.db).create({ name: 'Chaos', role: 'admin' })).token;
    await store.close();
    chat = (await (await fetch(`${base}/webchat/api/token`, { method: 'POST', headers: json, body: '{}' })).json()) as typeof chat;
  }, 120_000);
  afterAll(async () => {
    if (bot.child.exitCode === null) {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
    await database.drop();
  });

  test('when a thousand malformed requests arrive, then none is answered 5xx, the process never dies, and it serves on', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(20_000_000, 0x20));
    const deep = `${'{"a":'.repeat(10_000)}{}${'}'.repeat(10_000)}`;
    const auth = (token: string) => ({ ...json, authorization: `Bearer ${token}` });
    const parts = () => {
      const form = new FormData();
      for (let i = 0; i < 5000; i++) form.append('file', new Blob(['x'], { type: 'image/png' }), `${i}.png`);
      return form;
    };
    const kinds: Record<string, (n: number) => Probe> = {
      'gzip that is not gzip': () => post('/webchat/api/token', '{}', { ...json, 'content-encoding': 'gzip' }),
      'a gzip bomb': () => post('/api/messages', bomb, { ...json, 'content-encoding': 'gzip' }),
      'an unknown encoding': () => post('/api/messages', '{}', { ...json, 'content-encoding': 'br' }),
      'an over-large body': (n) => post('/api/messages', activity(`"channelData": {"x": "${'y'.repeat(300_000)}"}`, n)),
      'truncated JSON': () => post('/api/messages', '{"type": "message", "text": '),
      'not JSON': () => post('/api/messages', 'hello', { 'content-type': 'text/plain' }),
      'random bytes': (n) => post('/api/messages', Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + n) % 256))),
      'a javascript: serviceUrl': (n) => post('/api/messages', activity('"serviceUrl": "javascript:alert(1)"', n)),
      'a file: serviceUrl': (n) => post('/api/messages', activity('"serviceUrl": "file:///etc/passwd"', n)),
      'a metadata-address serviceUrl': (n) => post('/api/messages', activity('"serviceUrl": "http://169.254.169.254/latest"', n)),
      'a non-string replyToId': (n) => post('/api/messages', activity('"replyToId": {"x": 1}', n)),
      'channelData 10 000 deep': (n) => post('/api/messages', activity(`"channelData": ${deep}`, n)),
      'a NUL byte in the text': (n) => post('/api/messages', activity('"text": "a\\u0000b"', n)),
      'a lone surrogate in the text': (n) => post('/api/messages', activity('"text": "a\\ud800b"', n)),
      'a year-0000 timestamp': (n) => post('/api/messages', activity('"timestamp": "0000-01-01T00:00:00Z"', n)),
      'a ticket date past the calendar': () => get('/api/tickets?createdFrom=9999-99-99', auth(staff)),
      'a ticket date that rolls over': () => get('/api/tickets?createdFrom=2026-13-45', auth(staff)),
      'a NUL byte in a ticket search': () => get('/api/tickets?q=%00', auth(staff)),
      'a broken escape in a ticket search': () => get('/api/tickets?q=%ED%A0%80', auth(staff)),
      'a NUL byte in a ticket comment': () => post('/api/tickets/T202611260001/comments', '{"body": "a\\u0000b"}', auth(staff)),
      'a garbled demo cookie': () => post('/webchat/demo/identity', '', { cookie: 'kefu_demo_customer=%E0%A4%A' }),
      'a forged Direct Line token': () => post('/v3/directline/conversations', '{}', auth('forged.token.here')),
      'a javascript: attachment in web chat': (n) =>
        post(`/v3/directline/conversations/${chat.conversationId}/activities`, JSON.stringify({ type: 'message', text: `photo ${n}`, attachments: [{ contentType: 'image/png', contentUrl: 'javascript:alert(1)' }] }), auth(chat.token)),
      'an unsigned shop event': () => post('/api/shop/events', '{"id": "x", "type": "order.paid"}'),
      'a WebSocket upgrade to nowhere': () => upgrade('/nowhere'),
      'a stream with a forged token': () => upgrade(`/v3/directline/conversations/${chat.conversationId}/stream?t=forged`),
      'an upload of 5 000 parts': () => async (b) => {
        const res = await fetch(`${b}/v3/directline/conversations/${chat.conversationId}/upload?userId=u`, { method: 'POST', headers: { authorization: `Bearer ${chat.token}` }, body: parts() });
        await res.arrayBuffer();
        return res.status;
      },
    };
    const names = Object.keys(kinds);
    const total = FULL ? 5000 : 1000;
    const answers: [string, number][] = [];
    const cuts: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < total) {
          const n = next++;
          // An upload of 5 000 parts costs the test more than the bot: a few are enough, the next kind takes its turn.
          const upload = names.indexOf('an upload of 5 000 parts');
          const pick = n % names.length === upload && n > names.length * 3 ? upload + 1 : n % names.length;
          const name = names[pick % names.length];
          // A request cut without an answer counts as 0 and names how it was cut, so a failure says which kind and why.
          answers.push([name, await kinds[name](n)(base).catch((err: Error) => (cuts.push(`${name} #${n}: ${String(err.cause ?? err)}`), 0))]);
        }
      }),
    );

    const byKind = new Map<string, Set<number>>();
    for (const [name, status] of answers) byKind.set(name, (byKind.get(name) ?? new Set()).add(status));
    process.stdout.write(`chaos malformed (${provider}): ${answers.length} requests; ${[...byKind].map(([k, s]) => `${k}: ${[...s].join('/')}`).join('; ')}\n`);
    expect(cuts).toEqual([]);
    expect(answers.filter(([, status]) => status >= 500 || status === 0)).toEqual([]);
    expect(answers).toHaveLength(total);
    expect(byKind.size).toBe(names.length);
    expect(bot.child.exitCode).toBeNull();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(bot.output()).not.toMatch(/uncaught exception|unhandled promise rejection|Unhandled 'error' event/);
  }, 240_000);
});
