import { Writable } from 'node:stream';
import pino from 'pino';
import { startApp, type App } from '../../src/app';
import { StartError } from '../../src/startup/startErrors';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { ReplyListener, testConfig } from '../support/harness';
import { TcpProxy } from '../support/tcpProxy';
import { waitUntil } from '../support/wait';

/** A logger whose lines the test reads. */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

function activity(listener: ReplyListener, conversationId: string, text: string) {
  return {
    type: 'message', id: `${conversationId}-${Math.random().toString(36).slice(2)}`, channelId: 'test', serviceUrl: listener.url, locale: 'en-US', text,
    conversation: { id: conversationId }, from: { id: `u-${conversationId}` }, recipient: { id: 'bot' },
  };
}

async function post(app: App, body: unknown) {
  return fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('PostgreSQL outages', () => {
  let database: TestDatabase;
  const listener = new ReplyListener();
  let proxy: TcpProxy;
  let app: App | undefined;
  beforeAll(async () => {
    database = await createTestDatabase('postgresql', 'outage');
    await listener.start();
    const u = new URL(database.url);
    proxy = await new TcpProxy(u.hostname, Number(u.port || 5432)).reserve();
  }, 60_000);
  afterEach(async () => {
    await proxy.up();
    await app?.stop();
    app = undefined;
  });
  afterAll(async () => {
    await proxy.down();
    await listener.stop();
    await database.drop();
  });

  test('when the bot starts while PostgreSQL is down, then it says it waits, and starts and answers once the database is back', async () => {
    await proxy.down();
    const { logger, lines } = capturedLogger();
    const starting = startApp(testConfig(proxy.via(database.url), { DB_START_WAIT_SECONDS: '60' }), { logger });
    await waitUntil(() => lines.some((l) => l.includes('waiting for the database')), 'the waiting log line');
    expect(lines.find((l) => l.includes('waiting for the database'))).toContain(`127.0.0.1:${proxy.port}`);
    await proxy.up();
    app = await starting;
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    expect((await post(app, activity(listener, 'c-late-start', 'hello'))).status).toBe(200);
    await listener.waitFor(1, 'c-late-start');
  });

  test('when PostgreSQL stays down longer than DB_START_WAIT_SECONDS, then the start fails naming the database and the setting', async () => {
    await proxy.down();
    const { logger } = capturedLogger();
    const failed = await startApp(testConfig(proxy.via(database.url), { DB_START_WAIT_SECONDS: '1' }), { logger }).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(StartError);
    expect((failed as StartError).exitCode).toBe(69);
    expect((failed as StartError).message).toMatch(/cannot reach PostgreSQL .*DB_START_WAIT_SECONDS/);
  });

  test('when PostgreSQL goes away while the bot runs, then /readyz says 503 and the bot lives; once it is back, /readyz is 200 and turns are answered', async () => {
    await proxy.up();
    const { logger } = capturedLogger();
    app = await startApp(testConfig(proxy.via(database.url)), { logger });
    expect((await post(app, activity(listener, 'c-outage', 'hello'))).status).toBe(200);
    await listener.waitFor(1, 'c-outage');

    await proxy.down(); // every pooled connection is cut (as on a server restart) and new ones are refused
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

    // Messages that cannot be stored are not claimed to be kept: the customer is asked to send them again, in their language.
    const said: [string, string, string | undefined, RegExp][] = [
      ['c-down-en', 'where is my order', 'zh-CN', /did not reach us.*send it again/],
      ['c-down-zh', '我的订单到哪了', 'en-US', /没有收到.*再发送一次/],
    ];
    for (const [conversationId, text, channelLocale, answer] of said) {
      expect((await post(app, { ...activity(listener, conversationId, text), locale: channelLocale })).status).toBe(200);
      await listener.waitFor(1, conversationId);
      expect(listener.texts(conversationId)).toEqual([expect.stringMatching(answer)]);
      expect(listener.texts(conversationId)[0]).not.toMatch(/not lost|was lost|没有丢失/);
    }

    await proxy.up();
    const running = app;
    await waitUntil(async () => (await fetch(`${running.url}/readyz`)).status === 200, '/readyz 200 after the database came back', { timeoutMs: 20_000, everyMs: 200 });
    const before = listener.for('c-outage').length;
    expect((await post(app, activity(listener, 'c-outage', 'hello again'))).status).toBe(200);
    await listener.waitFor(before + 1, 'c-outage');
    expect(await app.store.db.message.count({ where: { direction: 'INBOUND', conversation: { channelConversationId: 'c-outage' } } })).toBe(2);
  });
});
