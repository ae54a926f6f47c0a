import { AgentService } from '../../src/features/tickets/agents';
import { openStore } from '../../src/store/db';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../support/db';
import { ReplyListener } from '../support/harness';
import { startKefu, type KefuProcess } from '../support/kefuProcess';
import { waitUntil } from '../support/wait';
import { TestClock, TEST_NOW } from '../support/clock';
import { ticketService } from '../tickets/support';

/**
 * Issue 12: a ticket changes, the process dies (kill -9) before the customer's notice goes out, and
 * comes back: the customer gets the notice, exactly once. The notice was recorded as an event in the
 * change's transaction; the process that records it here does not deliver events, so it certainly
 * dies with the notice unsent.
 */
describe.each(PROVIDERS)('a notice across a crash (%s)', (provider) => {
  let database: TestDatabase;
  const listener = new ReplyListener();
  const processes: KefuProcess[] = [];

  beforeAll(async () => {
    [database] = await Promise.all([createTestDatabase(provider, 'crash'), listener.start()]);
  }, 60_000);
  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGKILL');
    await listener.stop();
    await database.drop();
  });

  async function start(env: Record<string, string>): Promise<string> {
    // The bot itself, not `npm start`: SIGKILL to npm would leave the bot running (npm cannot pass a kill -9 on).
    const kefu = startKefu(
      { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, LOG_LEVEL: 'info', DB_SEED_ON_START: 'false', TICKETS_SLA_WATCH_ENABLED: 'false', BOT_SERVICE_URLS: 'http://127.0.0.1:*', ...env },
      { command: ['node', '--import', 'tsx', 'src/index.ts'] },
    );
    processes.push(kefu);
    const { url } = JSON.parse(await kefu.waitForLine((l) => l.includes('kefu is listening'), 90_000)) as { url: string };
    return url;
  }

  test('when the process is killed after a ticket change and before its notice goes out, then after the restart the customer gets it once', async () => {
    const first = await start({ EVENTS_DISPATCH_ENABLED: 'false' });
    // The customer writes in, on a channel whose connector is the test's listener.
    const hello = {
      type: 'message', id: 'crash-hello', channelId: 'test', serviceUrl: listener.url, locale: 'zh-CN', text: '你好',
      conversation: { id: 'c-crash' }, from: { id: 'u-crash' }, recipient: { id: 'kefu-bot' },
    };
    expect((await fetch(`${first}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(hello) })).status).toBe(200);
    await listener.waitFor(3, 'c-crash');

    const store = await openStore(database.url, { poolSize: 2 });
    try {
      const conversation = await store.db.conversation.findUniqueOrThrow({ where: { channelId_channelConversationId: { channelId: 'test', channelConversationId: 'c-crash' } } });
      const ticket = await ticketService(store.db, new TestClock(TEST_NOW), provider).open({
        customerId: conversation.customerId!, conversationId: conversation.id, category: 'consultation', summary: '发票怎么开', actor: { type: 'bot' },
      });
      const { token } = await new AgentService(store.db).create({ name: '王强', role: 'agent' });
      const comment = await fetch(`${first}/api/tickets/${ticket.number}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ body: '电子发票已发到您的邮箱。' }),
      });
      expect(comment.status).toBe(201);
      expect(await store.db.eventDelivery.count({ where: { status: 'PENDING', subscriber: 'tickets.notify-customer', event: { subject: `Ticket:${ticket.id}` } } })).toBe(1);

      processes[0].child.kill('SIGKILL');
      await processes[0].exited;
      expect(listener.texts('c-crash').filter((t) => t.includes('电子发票已发到您的邮箱。'))).toHaveLength(0);

      await start({});
      await listener.waitFor(4, 'c-crash', 30_000);
      await waitUntil(async () => (await store.db.eventDelivery.count({ where: { status: 'DONE', subscriber: 'tickets.notify-customer', event: { subject: `Ticket:${ticket.id}` } } })) === 1, 'the notice delivered');
      expect(listener.texts('c-crash').filter((t) => t.includes('电子发票已发到您的邮箱。'))).toHaveLength(1);
      // Message text is sealed at rest (issue 17): read the conversation's notices and look in them.
      const notices = await store.db.message.findMany({ where: { conversationId: conversation.id, senderType: 'system' } });
      expect(notices.filter((m) => m.text?.includes('电子发票已发到您的邮箱。'))).toHaveLength(1);
    } finally {
      await store.close();
    }
  }, 180_000);
});
