import type { Activity, DirectLine } from 'botframework-directlinejs';
import { signShopIdentity } from '../../src/features/webchat/directline/tokens';
import { AgentService } from '../../src/features/tickets/agents';
import { openStore, type Store } from '../../src/store/db';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { startKefu, type KefuProcess } from '../support/kefuProcess';
import { RoundRobinProxy } from '../support/proxy';
import { waitUntil } from '../support/wait';
import { Recorder, fetchAjax, postOnce, provideWebSocket } from './support';
import { DirectLine as DirectLineClient } from 'botframework-directlinejs';

const SECRETS = {
  DIRECTLINE_TOKEN_SECRET: 'instances-site-secret-0123456789abcdef0123456789',
  SHOP_IDENTITY_SECRET: 'instances-identity-secret-0123456789abcdef012345',
};

/** The welcome when the chat opens. */
const WELCOME = ['您好，欢迎光临', '我可以帮您', '请直接告诉我'];
/** What the customer types, and what each reply says, in order (a complaint in Chinese). */
const SCRIPT: [string, string[]][] = [
  ['我要投诉', ['请问您要投诉哪方面']],
  ['商品质量', ['请告诉我具体发生了什么']],
  ['充电宝充不进电', ['您希望我们如何处理']],
  ['尽快给我换一个', ['非常抱歉给您添麻烦了。您的投诉已登记，工单号 T']],
];

/**
 * Issue 12: two Kefu processes on one PostgreSQL database behind a round-robin load balancer (every
 * request and every WebSocket goes to the next instance): a web chat conversation gets every reply,
 * in order, over polling and over the WebSocket, and a ticket notice reaches it exactly once.
 */
describe.each([
  ['PostgreSQL LISTEN/NOTIFY', {}],
  ['Redis pub/sub', { REDIS_URL: process.env.KEFU_TEST_REDIS ?? 'redis://127.0.0.1:6379' }],
])('two instances behind a round-robin load balancer (PostgreSQL; hints over %s)', (_hints, hints: Record<string, string>) => {
  let database: TestDatabase;
  let store: Store;
  const proxy = new RoundRobinProxy();
  const instances: KefuProcess[] = [];

  beforeAll(async () => {
    provideWebSocket();
    database = await createTestDatabase('postgresql', 'instances');
    await proxy.start();
    const env = { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, LOG_LEVEL: 'info', WEBCHAT_PUBLIC_URL: proxy.url, TICKETS_SLA_WATCH_ENABLED: 'false', ...SECRETS, ...hints };
    // The first one seeds the demo shop; the second starts on the ready store.
    for (const seed of ['true', 'false']) {
      const kefu = startKefu({ ...env, DB_SEED_ON_START: seed });
      instances.push(kefu);
      const { url } = JSON.parse(await kefu.waitForLine((l) => l.includes('kefu is listening'), 90_000)) as { url: string };
      const { hostname, port } = new URL(url);
      proxy.backends.push({ host: hostname, port: Number(port) });
    }
    store = await openStore(database.url, { poolSize: 2 });
  }, 240_000);

  afterAll(async () => {
    for (const kefu of instances) kefu.child.kill('SIGTERM');
    await Promise.all(instances.map((k) => k.exited));
    await proxy.stop();
    await store?.close();
    await database?.drop();
  }, 60_000);

  /** A signed-in shop customer's conversation, opened through the load balancer. */
  async function conversation(externalId: string, webSocket: boolean): Promise<{ dl: DirectLine; recorder: Recorder; conversationId: string }> {
    const identityToken = signShopIdentity(SECRETS.SHOP_IDENTITY_SECRET, externalId, 300);
    const res = await fetch(`${proxy.url}/webchat/api/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identityToken, locale: 'zh-CN' }) });
    expect(res.status).toBe(200);
    const { token, conversationId } = (await res.json()) as { token: string; conversationId: string };
    const dl = new DirectLineClient({ token, domain: `${proxy.url}/v3/directline`, webSocket, pollingInterval: 200, timeout: 10_000, ajax: fetchAjax, conversationStartProperties: { locale: 'zh-CN' } });
    return { dl, recorder: new Recorder(dl), conversationId };
  }

  const textOf = (a: Activity) => (a.type === 'message' ? (a.text ?? '') : '');
  const botTexts = (recorder: Recorder) => recorder.activities.filter((a) => a.from.role === 'bot' && a.type === 'message').map(textOf);

  async function runScript(dl: DirectLine, recorder: Recorder): Promise<void> {
    let expected = WELCOME.length;
    await recorder.waitFor(expected, (a) => a.from.role === 'bot' && a.type === 'message');
    for (const [text, replies] of SCRIPT) {
      await postOnce(dl, { type: 'message', from: { id: 'ignored' }, text, locale: 'zh-CN' } as Activity);
      expected += replies.length;
      await recorder.waitFor(expected, (a) => a.from.role === 'bot' && a.type === 'message');
    }
    const texts = botTexts(recorder);
    const wanted = [...WELCOME, ...SCRIPT.flatMap(([, replies]) => replies)];
    expect(texts).toHaveLength(wanted.length);
    expect(texts.map((t, i) => (t.includes(wanted[i]) ? wanted[i] : t))).toEqual(wanted);
    // Each reply comes after the message it answers, and the activities come in the order of their ids.
    const ids = recorder.activities.map((a) => a.id ?? '');
    expect([...ids].sort()).toEqual(ids);
    const order = recorder.activities.filter((a) => a.type === 'message').map((a) => (a.from.role === 'bot' ? 'bot' : `customer:${textOf(a)}`));
    expect(order.filter((o) => o.startsWith('customer:'))).toEqual(SCRIPT.map(([t]) => `customer:${t}`));
    for (const [text] of SCRIPT) expect(order[order.indexOf(`customer:${text}`) + 1]).toBe('bot');
  }

  test.each([
    ['polling', false],
    ['the WebSocket', true],
  ])('when a conversation over %s alternates between the instances, then it gets every reply, in order', async (_how, webSocket) => {
    const { dl, recorder } = await conversation(webSocket ? 'C1002' : 'C1001', webSocket);
    try {
      await runScript(dl, recorder);
      expect(proxy.sent.every((n) => n > 3)).toBe(true);
    } finally {
      recorder.end();
    }
  }, 120_000);

  test('when an agent changes a ticket through either instance, then its notice reaches the customer exactly once', async () => {
    const { dl, recorder, conversationId } = await conversation('C1003', true);
    try {
      await runScript(dl, recorder);
      const ticket = await store.db.ticket.findFirstOrThrow({ where: { conversation: { channelConversationId: conversationId } } });
      const { token } = await new AgentService(store.db).create({ name: '林小美', role: 'agent' });
      const res = await fetch(`${proxy.url}/api/tickets/${ticket.number}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ body: '新的充电宝今天发出。' }),
      });
      expect(res.status).toBe(201);
      await recorder.waitFor(1, (a) => textOf(a).includes('新的充电宝今天发出。'));
      // Both instances dispatch events: the delivery is taken by one of them, once.
      await waitUntil(
        async () => (await store.db.eventDelivery.count({ where: { status: { not: 'DONE' }, event: { subject: `Ticket:${ticket.id}` } } })) === 0,
        'the notice delivered',
      );
      expect(botTexts(recorder).filter((t) => t.includes('新的充电宝今天发出。'))).toHaveLength(1);
      // Message text is sealed at rest (issue 17): read the conversation's messages and look in them.
      const stored = await store.db.message.findMany({ where: { conversation: { channelConversationId: conversationId } } });
      expect(stored.filter((m) => m.text?.includes('新的充电宝今天发出。'))).toHaveLength(1);
    } finally {
      recorder.end();
    }
  }, 120_000);
});
