import { anonymizeCustomer } from '../../src/features/privacy/anonymize';
import { waitUntil } from '../support/wait';
import { HandoffTestBot, PROVIDERS, closeConsoleSocket, openConsoleSocket } from './support';

/*
 * The case work around a live chat, over the console's JSON API and socket: internal notes (staff
 * only), a ticket opened or updated from the chat, and a supervisor watching a colleague's chat.
 */
describe.each(PROVIDERS)('case work in the agent console on %s', (provider) => {
  const bot = new HandoffTestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false' });

  beforeAll(async () => {
    await bot.startWithStaff();
  });
  afterAll(() => bot.stop());
  beforeEach(() => bot.allOffline());

  async function liveChat(conversationId: string, before: string[] = [], externalId?: string): Promise<string> {
    await bot.lin.request('POST', '/agent/api/presence', { status: 'online' });
    if (externalId) {
      await bot.write(conversationId, '你好');
      await bot.verify(conversationId, externalId);
    }
    await bot.write(conversationId, '转人工');
    for (const text of before) await bot.write(conversationId, text);
    const { id } = await bot.handoffOf(conversationId);
    expect((await bot.lin.request('POST', `/agent/api/chats/${id}/accept`, {})).status).toBe(200);
    return id;
  }

  test('when an agent adds an internal note, then it is stored, audit-logged and shown to staff in the case card, and never reaches the customer', async () => {
    const id = await liveChat('note-chat');
    const { ws, received } = await openConsoleSocket(bot, bot.lin);
    try {
      const heard = bot.listener.for('note-chat').length;
      const added = await bot.lin.request('POST', `/agent/api/chats/${id}/notes`, { text: '客户情绪激动，先安抚再查物流' });
      expect(added.status).toBe(201);
      await waitUntil(() => received.some((u) => u.kind === 'note'), 'the note in the console');

      const card = await bot.lin.request('GET', `/agent/api/chats/${id}`);
      expect(card.json.notes).toEqual([expect.objectContaining({ text: '客户情绪激动，先安抚再查物流', agentName: '林小美' })]);
      expect((card.json.transcript as { text: string | null }[]).map((m) => m.text)).not.toContain('客户情绪激动，先安抚再查物流');
      expect(bot.listener.for('note-chat').length).toBe(heard);
      const { id: conversationId } = await bot.conversation('note-chat');
      const messages = await bot.app.store.db.message.findMany({ where: { conversationId } });
      expect(messages.map((m) => m.text)).not.toContain('客户情绪激动，先安抚再查物流');
      expect(await bot.app.store.db.auditLog.count({ where: { entityId: id, action: 'handoff.note' } })).toBe(1);

      expect((await bot.zhao.request('POST', `/agent/api/chats/${id}/notes`, { text: '我也来看看' })).status).toBe(403);
      expect((await bot.wang.request('POST', `/agent/api/chats/${id}/notes`, { text: '主管：注意语气' })).status).toBe(201);
      expect((await bot.lin.request('POST', `/agent/api/chats/${id}/notes`, {})).status).toBe(400);
      expect((await bot.lin.request('POST', `/agent/api/chats/${id}/notes`, { text: '长'.repeat(2001) })).status).toBe(413);
      expect((await bot.lin.request('POST', '/agent/api/chats/no-such-chat/notes', { text: '?' })).status).toBe(404);
      await bot.lin.request('POST', `/agent/api/chats/${id}/end`, {});
      expect((await bot.lin.request('POST', `/agent/api/chats/${id}/notes`, { text: '结束后' })).status).toBe(409);
      expect(await bot.app.store.db.handoffNote.count({ where: { handoffId: id } })).toBe(2);
    } finally {
      await closeConsoleSocket(bot, ws, bot.ids.lin);
    }
  });

  test('when the customer\'s personal data is erased, then the agents\' notes on their chats go too', async () => {
    const id = await liveChat('erased-chat');
    expect((await bot.lin.request('POST', `/agent/api/chats/${id}/notes`, { text: '客户说住在三楼' })).status).toBe(201);
    const { customerId } = await bot.conversation('erased-chat');
    await bot.app.store.db.$transaction((tx) => anonymizeCustomer(tx, customerId!, bot.clock.now()));
    expect(await bot.app.store.db.handoffNote.count({ where: { handoffId: id } })).toBe(0);
    await bot.lin.request('POST', `/agent/api/chats/${id}/end`, {});
  });

  test('when an agent opens a ticket from the chat, then the form is prefilled from what the customer wrote, the ticket is the customer\'s, and a second save adds a note to it', async () => {
    const id = await liveChat('ticket-chat', ['我的快递三天没动了，单号 SF123'], 'C9101');
    const draft = await bot.lin.request('GET', `/agent/api/chats/${id}/ticket-draft`);
    expect(draft.status).toBe(200);
    expect(draft.json).toMatchObject({ category: 'consultation', openTickets: [] });
    expect(draft.json.summary).toContain('我的快递三天没动了，单号 SF123');

    const opened = await bot.lin.request('POST', `/agent/api/chats/${id}/ticket`, { category: 'order_issue', summary: draft.json.summary });
    expect(opened.status).toBe(201);
    const number = (opened.json.ticket as { number: string }).number;
    const { id: conversationId, customerId } = await bot.conversation('ticket-chat');
    const ticket = await bot.app.store.db.ticket.findUniqueOrThrow({ where: { number } });
    expect(ticket).toMatchObject({ customerId, conversationId, category: 'order_issue' });
    expect(ticket.summary).toContain('SF123');

    expect((await bot.lin.request('GET', `/agent/api/chats/${id}/ticket-draft`)).json.openTickets).toEqual([expect.objectContaining({ number })]);
    const updated = await bot.lin.request('POST', `/agent/api/chats/${id}/ticket`, { category: 'order_issue', summary: '已联系快递，明天回电', number });
    expect(updated.status).toBe(200);
    expect(updated.json.ticket).toEqual({ number, created: false });
    const notes = await bot.app.store.db.ticketEvent.findMany({ where: { ticketId: ticket.id, type: 'NOTE' } });
    expect(notes.map((n) => n.body)).toEqual(['已联系快递，明天回电']);

    expect((await bot.zhao.request('POST', `/agent/api/chats/${id}/ticket`, { category: 'other', summary: 'x' })).status).toBe(403);
    expect((await bot.lin.request('POST', `/agent/api/chats/${id}/ticket`, { category: 'nonsense', summary: 'x' })).status).toBe(400);
    expect((await bot.lin.request('POST', `/agent/api/chats/${id}/ticket`, { category: 'other', summary: 'x', number: 'T20990101999' })).status).toBe(404);
    expect(await bot.app.store.db.ticket.count({ where: { customerId: customerId! } })).toBe(1);
  });

  test('when a supervisor watches a colleague\'s chat, then they see it live both ways without taking it; an agent may not watch', async () => {
    const id = await liveChat('watched-chat');
    const { ws, received } = await openConsoleSocket(bot, bot.wang);
    try {
      const watched = await bot.wang.request('POST', `/agent/api/chats/${id}/watch`, {});
      expect(watched.status).toBe(200);
      expect((watched.json.transcript as { text: string | null }[]).map((m) => m.text)).toContain('转人工');

      await bot.write('watched-chat', '能快点吗');
      await bot.lin.request('POST', `/agent/api/chats/${id}/messages`, { text: '马上为您处理' });
      await waitUntil(() => received.filter((u) => u.kind === 'message' && u.handoffId === id).length >= 2, 'both sides of the chat in the supervisor\'s console');
      expect(received.filter((u) => u.kind === 'message').map((u) => (u.message as { from: string; text: string }).text)).toEqual(['能快点吗', '马上为您处理']);
      expect(await bot.handoffOf('watched-chat')).toMatchObject({ status: 'ACTIVE', agentId: bot.ids.lin });
      expect(await bot.app.store.db.auditLog.count({ where: { entityId: id, action: 'handoff.watch' } })).toBe(1);

      expect((await bot.zhao.request('POST', `/agent/api/chats/${id}/watch`, {})).status).toBe(403);
      expect((await (await bot.signedInManager()).request('POST', `/agent/api/chats/${id}/watch`, {})).status).toBe(200);
      await bot.lin.request('POST', `/agent/api/chats/${id}/end`, {});
      expect((await bot.wang.request('POST', `/agent/api/chats/${id}/watch`, {})).status).toBe(409);
    } finally {
      await closeConsoleSocket(bot, ws, bot.ids.wang);
    }
  });
});
