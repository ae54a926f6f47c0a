import { HandoffTestBot, PROVIDERS } from './support';
import type { StaffBrowser } from '../staff/support';

/** Who may act on which chat, transfers and take-overs, and what bad requests change (nothing). */
describe.each(PROVIDERS)('handoff rules on %s', (provider) => {
  const bot = new HandoffTestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false' });
  let manager: StaffBrowser;

  beforeAll(async () => {
    await bot.startWithStaff();
    manager = await bot.signedInManager();
  });
  afterAll(() => bot.stop());

  /** A customer in a live chat with Lin; returns the handoff id. */
  async function chatWithLin(conversation: string): Promise<string> {
    await bot.lin.request('POST', '/agent/api/presence', { status: 'online' });
    await bot.write(conversation, 'talk to a person', 'en-US');
    const { id } = await bot.handoffOf(conversation);
    expect((await bot.lin.request('POST', `/agent/api/chats/${id}/accept`, {})).status).toBe(200);
    return id;
  }

  test('when an agent acts on another agent\'s chat, then 403 and nothing is sent; a supervisor may write in it; a manager may read but not take part', async () => {
    const id = await chatWithLin('owned');
    const before = bot.listener.for('owned').length;
    expect((await bot.zhao.request('POST', `/agent/api/chats/${id}/messages`, { text: 'hi' })).status).toBe(403);
    expect((await bot.zhao.request('POST', `/agent/api/chats/${id}/end`, {})).status).toBe(403);
    expect((await bot.zhao.request('GET', `/agent/api/chats/${id}`)).status).toBe(403);
    expect(bot.listener.for('owned').length).toBe(before);
    expect((await bot.wang.request('POST', `/agent/api/chats/${id}/messages`, { text: 'Supervisor here, checking in.' })).status).toBe(201);
    expect(bot.listener.texts('owned').at(-1)).toBe('Supervisor here, checking in.');
    expect((await manager.request('GET', `/agent/api/chats/${id}`)).status).toBe(200);
    expect((await manager.request('POST', `/agent/api/chats/${id}/messages`, { text: 'x' })).status).toBe(403);
  });

  test('when an agent transfers a chat to a colleague with a note, then the colleague owns it, the customer is told, and the audit log has it', async () => {
    const id = await chatWithLin('transfer');
    const answer = await bot.lin.request('POST', `/agent/api/chats/${id}/transfer`, { toAgentId: bot.ids.zhao, note: 'needs a refund check' });
    expect(answer.status).toBe(200);
    expect((await bot.conversation('transfer')).agentId).toBe(bot.ids.zhao);
    expect(bot.listener.texts('transfer').at(-1)).toContain('赵强');
    expect((await bot.lin.request('POST', `/agent/api/chats/${id}/messages`, { text: 'still me?' })).status).toBe(403);
    expect((await bot.zhao.request('POST', `/agent/api/chats/${id}/messages`, { text: 'Hi, Zhao here.' })).status).toBe(201);
    const audit = await bot.app.store.db.auditLog.findFirstOrThrow({ where: { entityId: id, action: 'handoff.transfer' } });
    expect(audit).toMatchObject({ actorId: bot.ids.lin, reason: 'needs a refund check' });
  });

  test('when an agent sends a chat back to the supervisors\' queue, then it waits there again', async () => {
    const id = await chatWithLin('requeue');
    await bot.wang.request('POST', '/agent/api/presence', { status: 'online' });
    expect((await bot.lin.request('POST', `/agent/api/chats/${id}/transfer`, { queue: 'supervisors', note: 'angry customer' })).status).toBe(200);
    expect(await bot.handoffOf('requeue')).toMatchObject({ status: 'QUEUED', queue: 'supervisors' });
    expect((await bot.conversation('requeue')).status).toBe('QUEUED');
    expect((await bot.wang.request('POST', `/agent/api/chats/${id}/accept`, {})).status).toBe(200);
  });

  test('when a supervisor takes over an agent\'s chat, then the chat is theirs and the take-over is audited; an agent may not take over', async () => {
    const id = await chatWithLin('takeover');
    expect((await bot.zhao.request('POST', `/agent/api/chats/${id}/takeover`, {})).status).toBe(403);
    expect((await bot.wang.request('POST', `/agent/api/chats/${id}/takeover`, {})).status).toBe(200);
    expect((await bot.conversation('takeover')).agentId).toBe(bot.ids.wang);
    expect(await bot.app.store.db.auditLog.count({ where: { entityId: id, action: 'handoff.takeover', actorId: bot.ids.wang } })).toBe(1);
  });

  test('when requests are bad (unknown chat, ended chat, oversized or empty message, unknown fields, stale accept), then a clear 4xx and nothing changes', async () => {
    expect((await bot.lin.request('POST', '/agent/api/chats/nope/messages', { text: 'hi' })).status).toBe(404);
    const id = await chatWithLin('bad');
    const big = await bot.lin.request('POST', `/agent/api/chats/${id}/messages`, { text: '长'.repeat(2001) });
    expect(big.status).toBe(413);
    expect(String(big.json.message)).toContain('2000');
    expect((await bot.lin.request('POST', `/agent/api/chats/${id}/messages`, { text: '   ' })).status).toBe(400);
    expect((await bot.lin.request('POST', `/agent/api/chats/${id}/messages`, { text: 'hi', extra: 1 })).status).toBe(400);
    expect((await bot.lin.request('POST', '/agent/api/presence', { status: 'sleeping' })).status).toBe(400);
    expect((await bot.lin.request('POST', `/agent/api/chats/${id}/accept`, {})).status).toBe(409);
    await bot.lin.request('POST', `/agent/api/chats/${id}/end`, {});
    const before = bot.listener.for('bad').length;
    const late = await bot.lin.request('POST', `/agent/api/chats/${id}/messages`, { text: 'are you there?' });
    expect(late.status).toBe(409);
    expect(bot.listener.for('bad').length).toBe(before);
    expect((await bot.lin.request('POST', `/agent/api/chats/${id}/end`, {})).status).toBe(409);
  });

  test('when the app restarts mid-chat, then the chat is still the agent\'s and messages flow both ways', async () => {
    const id = await chatWithLin('restart');
    await bot.restart();
    expect(await bot.write('restart', 'are you still there?', 'en-US')).toEqual([]);
    const card = await bot.lin.request('GET', `/agent/api/chats/${id}`);
    expect((card.json.transcript as { text: string }[]).map((m) => m.text)).toContain('are you still there?');
    expect((await bot.lin.request('POST', `/agent/api/chats/${id}/messages`, { text: 'Yes, still here.' })).status).toBe(201);
    expect(bot.listener.texts('restart').at(-1)).toBe('Yes, still here.');
  });
});
