import WebSocket from 'ws';
import { waitUntil } from '../support/wait';
import { HandoffTestBot, PROVIDERS, closeConsoleSocket, openConsoleSocket } from './support';

const SITE_SECRET = 'test-site-secret-0123456789abcdef0123456789abcdef';

/*
 * Typing indicators both ways in a live chat: the customer's `typing` activity shows in the agent's
 * console; the agent's typing in the console reaches the customer's channel (a Bot Framework channel,
 * and the web chat's Direct Line stream) as a `typing` activity. Nothing of it is stored.
 */
describe.each(PROVIDERS)('typing indicators on %s', (provider) => {
  const bot = new HandoffTestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false', DIRECTLINE_TOKEN_SECRET: SITE_SECRET });

  beforeAll(async () => {
    await bot.startWithStaff();
  });
  afterAll(() => bot.stop());
  beforeEach(() => bot.allOffline());

  const typingRows = async () => (await bot.app.store.db.message.findMany({ where: { activityType: 'typing' } })).length;

  /** A customer on the test channel in a live chat with Lin. */
  async function liveChat(conversationId: string): Promise<string> {
    await bot.lin.request('POST', '/agent/api/presence', { status: 'online' });
    await bot.write(conversationId, '转人工');
    const { id } = await bot.handoffOf(conversationId);
    expect((await bot.lin.request('POST', `/agent/api/chats/${id}/accept`, {})).status).toBe(200);
    return id;
  }

  test('when the customer types in a chat with an agent, then the agent\'s console shows it, and no typing is stored', async () => {
    const { ws, received } = await openConsoleSocket(bot, bot.lin);
    try {
      // Typing to the bot: nothing stored, nothing shown.
      expect((await bot.post('/api/messages', bot.activity({ conversationId: 'typing-bot', type: 'typing' }))).status).toBeLessThan(300);
      await bot.write('typing-bot', '你好');
      const id = await liveChat('typing-customer');
      const res = await bot.post('/api/messages', bot.activity({ conversationId: 'typing-customer', type: 'typing' }));
      expect(res.status).toBeLessThan(300);
      await waitUntil(() => received.some((u) => u.kind === 'typing'), 'the customer\'s typing in the console');
      expect(received.filter((u) => u.kind === 'typing')).toEqual([expect.objectContaining({ handoffId: id, typing: { from: 'customer' } })]);
      expect(await typingRows()).toBe(0);
    } finally {
      await closeConsoleSocket(bot, ws, bot.ids.lin);
    }
  });

  test('when the agent types in the console, then the customer\'s channel gets a typing activity that is not stored; another agent gets 403, a supervisor may', async () => {
    const id = await liveChat('typing-agent');
    const { ws } = await openConsoleSocket(bot, bot.lin);
    try {
      const before = bot.listener.for('typing-agent').length;
      ws.send(JSON.stringify({ type: 'typing', handoffId: id }));
      await bot.listener.waitFor(before + 1, 'typing-agent');
      expect(bot.listener.for('typing-agent').slice(before).map((r) => r.activity.type)).toEqual(['typing']);
      expect(await typingRows()).toBe(0);
      const conversation = await bot.conversation('typing-agent');
      const outbound = await bot.app.store.db.message.count({ where: { conversationId: conversation.id, direction: 'OUTBOUND' } });
      // The agent's first message still counts as the first reply: typing is not one.
      expect((await bot.handoffOf('typing-agent')).firstReplyAt).toBeNull();

      expect((await bot.zhao.request('POST', `/agent/api/chats/${id}/typing`, {})).status).toBe(403);
      expect((await bot.wang.request('POST', `/agent/api/chats/${id}/typing`, {})).status).toBe(202);
      expect((await bot.lin.request('POST', '/agent/api/chats/no-such-chat/typing', {})).status).toBe(404);
      expect(await bot.app.store.db.message.count({ where: { conversationId: conversation.id, direction: 'OUTBOUND' } })).toBe(outbound);
      await bot.lin.request('POST', `/agent/api/chats/${id}/end`, {});
      expect((await bot.lin.request('POST', `/agent/api/chats/${id}/typing`, {})).status).toBe(409);
    } finally {
      await closeConsoleSocket(bot, ws, bot.ids.lin);
    }
  });

  test('when a web chat customer types and the agent types back, then each side sees it over its WebSocket, and the Direct Line log keeps neither', async () => {
    const base = bot.app.url;
    const issued = (await (await fetch(`${base}/v3/directline/tokens/generate`, { method: 'POST', headers: { Authorization: `Bearer ${SITE_SECRET}`, 'Content-Type': 'application/json' }, body: '{}' })).json()) as { token: string; conversationId: string };
    const authed = { Authorization: `Bearer ${issued.token}`, 'Content-Type': 'application/json' };
    const started = (await (await fetch(`${base}/v3/directline/conversations`, { method: 'POST', headers: authed, body: JSON.stringify({ locale: 'zh-CN' }) })).json()) as { streamUrl: string };
    const stream = new WebSocket(started.streamUrl);
    const seen: { type: string; from?: { role?: string }; text?: string }[] = [];
    stream.on('message', (data) => {
      const text = String(data);
      if (text) seen.push(...((JSON.parse(text) as { activities: typeof seen }).activities ?? []));
    });
    await new Promise((resolve, reject) => stream.once('open', resolve).once('error', reject));
    const post = (activity: Record<string, unknown>) =>
      fetch(`${base}/v3/directline/conversations/${issued.conversationId}/activities`, { method: 'POST', headers: authed, body: JSON.stringify({ from: { id: 'me' }, ...activity }) });
    const { ws, received } = await openConsoleSocket(bot, bot.lin);
    try {
      await bot.lin.request('POST', '/agent/api/presence', { status: 'online' });
      expect((await post({ type: 'message', text: '转人工' })).status).toBe(200);
      await waitUntil(() => seen.some((a) => a.from?.role === 'bot' && (a.text ?? '').includes('排在第')), 'the place in line');
      const { id } = await bot.handoffOf(issued.conversationId);
      await bot.lin.request('POST', `/agent/api/chats/${id}/accept`, {});

      expect((await post({ type: 'typing' })).status).toBe(200);
      await waitUntil(() => received.some((u) => u.kind === 'typing' && u.handoffId === id), 'the web chat customer typing in the console');

      ws.send(JSON.stringify({ type: 'typing', handoffId: id }));
      await waitUntil(() => seen.some((a) => a.type === 'typing' && a.from?.role === 'bot'), 'the agent typing in the web chat');
      const log = await bot.app.store.db.directLineActivity.findMany({ where: { conversationId: issued.conversationId } });
      expect(log.map((row) => (JSON.parse(row.activity) as { type: string }).type)).not.toContain('typing');
      expect(await typingRows()).toBe(0);
    } finally {
      stream.close();
      await closeConsoleSocket(bot, ws, bot.ids.lin);
    }
  });
});

describe('typing and the rate limit', () => {
  const bot = new HandoffTestBot('sqlite', { TICKETS_SLA_WATCH_ENABLED: 'false', RATE_LIMIT_MESSAGES_PER_MINUTE: '3' });

  beforeAll(() => bot.start());
  afterAll(() => bot.stop());

  test('when a customer types a lot, then their typing is limited on its own and never uses up the allowance of their messages', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await bot.post('/api/messages', bot.activity({ conversationId: 'typist', type: 'typing' }))).status);
    expect(statuses.map((s) => (s < 300 ? 'ok' : s))).toEqual(['ok', 'ok', 'ok', 429]);
    expect((await bot.write('typist', '你好')).length).toBeGreaterThan(0);
  });
});
