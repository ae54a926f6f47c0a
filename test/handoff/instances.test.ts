import WebSocket from 'ws';
import { waitUntil } from '../support/wait';
import { HandoffTestBot } from './support';

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
      ws.close();
    }
  });
});
