import WebSocket from 'ws';
import { waitUntil } from '../support/wait';
import { HandoffTestBot, PROVIDERS, openConsoleSocket as openSocket } from './support';

describe.each(PROVIDERS)('agent console on %s', (provider) => {
  const bot = new HandoffTestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false' });

  beforeAll(async () => {
    await bot.startWithStaff();
  });
  afterAll(() => bot.stop());
  beforeEach(() => bot.allOffline());

  test('when nobody is signed in, then /agent sends the browser to the sign-in page; a signed-in agent gets the console in their language and its bundled React script', async () => {
    const anonymous = await fetch(`${bot.app.url}/agent?lang=en-US`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/staff/signin?lang=en-US&next=%2Fagent');
    const page = await bot.lin.request('GET', '/agent?lang=zh-CN');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="zh-CN">');
    expect(page.text).toContain('客服工作台');
    expect(page.text).toContain('林小美');
    const script = await bot.lin.request('GET', '/agent/console.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(script.text).toContain('kefu-console');
    expect(script.text.length).toBeGreaterThan(100_000); // React and ReactDOM are in it: nothing comes from a CDN
  });

  test('when a customer asks for a person and then writes, then the agent\'s console socket is told at once; closing it sets the agent offline', async () => {
    const { ws, received } = await openSocket(bot, bot.lin);
    ws.send(JSON.stringify({ type: 'presence', status: 'online' }));
    await waitUntil(async () => (await bot.app.store.db.agentPresence.findUnique({ where: { agentId: bot.ids.lin } }))?.status === 'online', 'Lin online');
    await bot.write('live', '转人工');
    await waitUntil(() => received.some((u) => u.kind === 'queue'), 'a queue update');
    const { id } = await bot.handoffOf('live');
    await bot.lin.request('POST', `/agent/api/chats/${id}/accept`, {});
    await bot.write('live', '我的包裹破了');
    await waitUntil(() => received.some((u) => u.kind === 'message'), 'the customer\'s message');
    expect(received.find((u) => u.kind === 'message')).toMatchObject({ handoffId: id, message: { from: 'customer', text: '我的包裹破了' } });
    ws.close();
    await waitUntil(async () => (await bot.app.store.db.agentPresence.findUnique({ where: { agentId: bot.ids.lin } }))?.status === 'offline', 'Lin offline');
  });

  test('when a page of another site or a visitor without a session opens the console socket, then it is refused', async () => {
    const url = new URL(bot.app.url);
    const refused = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://${url.host}/agent/ws`, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => undefined);
      });
    expect(await refused({ cookie: bot.lin.cookie, origin: 'https://evil.example' })).toBe(403);
    expect(await refused({ origin: bot.app.url })).toBe(401);
  });

  test('when the canned replies are asked for, then they come from the locale files in the agent\'s language', async () => {
    const zh = await bot.lin.request('GET', '/agent/api/canned?lang=zh-CN');
    expect((zh.json.items as { text: string }[]).map((c) => c.text)).toContain('好的，我帮您查一下，请稍等片刻。');
    const en = await bot.lin.request('GET', '/agent/api/canned?lang=en-US');
    expect((en.json.items as { text: string }[]).map((c) => c.text)).toContain('Let me check that for you, one moment please.');
  });
});
