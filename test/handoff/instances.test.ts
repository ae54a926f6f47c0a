import WebSocket from 'ws';
import { waitUntil } from '../support/wait';
import { HandoffTestBot, closeConsoleSocket, openConsoleSocket } from './support';

/*
 * Two instances on one PostgreSQL database: the agent's console is connected to instance A, the
 * customer's channel reaches instance B. Customer -> console goes over LISTEN/NOTIFY; console ->
 * customer goes out from A as a proactive message on the customer's channel.
 */
describe('live handoff across two instances on one PostgreSQL database', () => {
  const a = new HandoffTestBot('postgresql', { TICKETS_SLA_WATCH_ENABLED: 'false' });
  const b = new HandoffTestBot('postgresql', { TICKETS_SLA_WATCH_ENABLED: 'false' });

  beforeAll(async () => {
    await a.startWithStaff();
    await b.start(a.database);
  });
  afterAll(async () => {
    await b.app?.stop();
    await b.listener.stop();
    await a.stop();
  });

  test('when the customer writes to instance B and the agent works on instance A, then messages relay both ways', async () => {
    const url = new URL(a.app.url);
    const ws = new WebSocket(`ws://${url.host}/agent/ws`, { headers: { cookie: a.lin.cookie, origin: a.app.url } });
    const received: { kind?: string; message?: { text?: string } }[] = [];
    ws.on('message', (data) => received.push(JSON.parse(String(data)) as { kind?: string }));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    try {
      await a.lin.request('POST', '/agent/api/presence', { status: 'online' });
      expect(await b.write('two', '转人工')).toEqual([expect.stringContaining('排在第 1 位')]);
      const handoff = await a.handoffOf('two');
      expect((await a.lin.request('POST', `/agent/api/chats/${handoff.id}/accept`, {})).status).toBe(200);
      await waitUntil(() => b.listener.texts('two').some((t) => t.includes('林小美')), 'the accepted notice on the customer\'s channel');

      expect(await b.write('two', '从B实例发来的消息')).toEqual([]);
      await waitUntil(() => received.some((u) => u.kind === 'message' && u.message?.text === '从B实例发来的消息'), 'the customer\'s message on the console of instance A');

      expect((await a.lin.request('POST', `/agent/api/chats/${handoff.id}/messages`, { text: '来自A实例的回复' })).status).toBe(201);
      expect(b.listener.texts('two').at(-1)).toBe('来自A实例的回复');
      // The session opened on A works on B as well (it lives in the store).
      expect((await b.post('/agent/api/chats/' + handoff.id + '/end', {}, { cookie: a.lin.cookie, 'x-kefu-csrf': a.lin.csrf, origin: b.app.url })).status).toBe(200);
      expect(b.listener.texts('two').at(-1)).toContain('人工服务已结束');
    } finally {
      await closeConsoleSocket(a, ws, a.ids.lin);
    }
  });

  test('when the customer types on instance B and the agent on instance A, then each sees the other typing, also after an accept B heard of only by NOTIFY', async () => {
    const { ws, received } = await openConsoleSocket(a, a.lin);
    try {
      await a.lin.request('POST', '/agent/api/presence', { status: 'online' });
      await b.write('two-typing', '转人工');
      // Typing while queued: instance B notes that the conversation has no live chat.
      expect((await b.post('/api/messages', b.activity({ conversationId: 'two-typing', type: 'typing' }))).status).toBeLessThan(300);
      const handoff = await a.handoffOf('two-typing');
      expect((await a.lin.request('POST', `/agent/api/chats/${handoff.id}/accept`, {})).status).toBe(200);

      // B learns of the accept from A's notification; until then its typing is not shown (a bounded poll, not a sleep).
      await waitUntil(async () => {
        await b.post('/api/messages', b.activity({ conversationId: 'two-typing', type: 'typing' }));
        return received.some((u) => u.kind === 'typing' && u.handoffId === handoff.id);
      }, 'the customer typing on B shown on A\'s console');

      const heard = b.listener.for('two-typing').length;
      ws.send(JSON.stringify({ type: 'typing', handoffId: handoff.id }));
      await b.listener.waitFor(heard + 1, 'two-typing');
      expect(b.listener.for('two-typing').at(-1)?.activity.type).toBe('typing');
    } finally {
      await closeConsoleSocket(a, ws, a.ids.lin);
    }
  });
});
