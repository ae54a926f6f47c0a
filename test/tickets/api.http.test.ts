import type { Customer } from '../../generated/sqlite/client';
import { PROVIDERS } from '../support/db';
import { TicketsTestBot } from './app';

describe.each(PROVIDERS)('ticket API over HTTP on %s', (provider) => {
  const bot = new TicketsTestBot(provider);
  const tokens: Record<'alice' | 'bob' | 'lead' | 'boss' | 'gone', string> = { alice: '', bob: '', lead: '', boss: '', gone: '' };
  const ids: Record<string, string> = {};
  let customer: Customer;

  beforeAll(async () => {
    await bot.start();
    const roles = { alice: 'agent', bob: 'agent', lead: 'supervisor', boss: 'manager', gone: 'agent' } as const;
    for (const [name, role] of Object.entries(roles) as [keyof typeof roles, (typeof roles)[keyof typeof roles]][]) {
      const { agent, token } = await bot.module.agents.create({ name, role });
      tokens[name] = token;
      ids[name] = agent.id;
    }
    await bot.app.store.db.agent.update({ where: { id: ids.gone }, data: { active: false } });
    customer = await bot.app.store.db.customer.create({ data: { name: 'API customer' } });
  });
  afterAll(() => bot.stop());

  const open = (summary: string, category: 'return' | 'complaint' | 'consultation' = 'return') =>
    bot.module.tickets.open({ customerId: customer.id, category, summary, actor: { type: 'bot' } });

  it('when no token, a wrong token or an inactive agent\'s token is sent, then the answer is 401 with a reason', async () => {
    const none = await bot.api('GET', '/api/tickets');
    const wrong = await bot.api('GET', '/api/tickets', 'kefu_not-a-token');
    const inactive = await bot.api('GET', '/api/tickets', tokens.gone);
    expect([none.status, wrong.status, inactive.status]).toEqual([401, 401, 401]);
    expect(none.json).toEqual({ error: 'unauthorized', message: 'Send Authorization: Bearer <token>' });
    expect(wrong.json.error).toBe('unauthorized');
  });

  it('when a ticket does not exist, then viewing or changing it is 404', async () => {
    const view = await bot.api('GET', '/api/tickets/T209901010001', tokens.lead);
    const change = await bot.api('POST', '/api/tickets/T209901010001/status', tokens.lead, { status: 'OPEN', reason: 'working on it' });
    expect([view.status, change.status]).toEqual([404, 404]);
    expect(view.json).toEqual({ error: 'not_found', message: 'No ticket T209901010001' });
  });

  it('when the body or query is malformed, or the move is refused, then the answer is 400 saying why', async () => {
    const ticket = await open('400 cases');
    const badStatus = await bot.api('POST', `/api/tickets/${ticket.number}/status`, tokens.lead, { status: 'DONE', reason: 'working on it' });
    const noBody = await bot.api('POST', `/api/tickets/${ticket.number}/comments`, tokens.lead);
    const typo = await bot.api('GET', '/api/tickets?colour=red', tokens.lead);
    const badEnum = await bot.api('GET', '/api/tickets?status=OPEN,LOST', tokens.lead);
    const refused = await bot.api('POST', `/api/tickets/${ticket.number}/status`, tokens.lead, { status: 'CLOSED', reason: 'working on it' });
    expect([badStatus.status, noBody.status, typo.status, badEnum.status, refused.status]).toEqual([400, 400, 400, 400, 400]);
    expect(badStatus.json.error).toBe('invalid_request');
    expect(badStatus.json.message).toMatch(/^status: /);
    expect(typo.json.message).toMatch(/colour/);
    expect(refused.json).toMatchObject({ error: 'invalid_transition', message: 'NEW → CLOSED is not allowed; from NEW a ticket can go to OPEN, ESCALATED' });
    await bot.api('POST', `/api/tickets/${ticket.number}/status`, tokens.lead, { status: 'OPEN', reason: 'working on it' });
    const noSummary = await bot.api('POST', `/api/tickets/${ticket.number}/status`, tokens.lead, { status: 'RESOLVED' });
    expect(noSummary.json).toEqual({ error: 'invalid_request', message: 'Resolving a ticket needs a resolutionSummary' });
    const noReason = await bot.api('POST', `/api/tickets/${ticket.number}/status`, tokens.lead, { status: 'PENDING_CUSTOMER' });
    expect(noReason.status).toBe(400);
    expect(noReason.json.message).toBe('reason: say why the status changes (at least 3 characters; every change by staff records its reason)');
  });

  it("when an agent touches another agent's ticket, or a manager writes, then the answer is 403", async () => {
    const ticket = await open('bob has it');
    expect((await bot.api('POST', `/api/tickets/${ticket.number}/assign`, tokens.lead, { assigneeId: ids.bob })).status).toBe(200);
    const view = await bot.api('GET', `/api/tickets/${ticket.number}`, tokens.alice);
    const note = await bot.api('POST', `/api/tickets/${ticket.number}/notes`, tokens.alice, { body: 'mine now' });
    const managerNote = await bot.api('POST', `/api/tickets/${ticket.number}/notes`, tokens.boss, { body: 'looks fine' });
    const managerView = await bot.api('GET', `/api/tickets/${ticket.number}`, tokens.boss);
    expect([view.status, note.status, managerNote.status, managerView.status]).toEqual([403, 403, 403, 200]);
    expect(managerNote.json).toEqual({ error: 'forbidden', message: 'this needs the permission tickets.write (the role manager does not have it)' });

    const free = await open('nobody has it');
    const handOff = await bot.api('POST', `/api/tickets/${free.number}/assign`, tokens.alice, { assigneeId: ids.bob });
    expect(handOff.json).toEqual({ error: 'forbidden', message: 'An agent may only assign a ticket to themselves; ask a supervisor to reassign it' });
    const history = await bot.app.store.db.ticketEvent.count({ where: { ticketId: ticket.id, type: 'NOTE' } });
    expect(history).toBe(0);
  });

  it('when a change carries a stale version, then the answer is 409', async () => {
    const ticket = await open('versions');
    const first = await bot.api('POST', `/api/tickets/${ticket.number}/notes`, tokens.lead, { body: 'one', version: 1 });
    const second = await bot.api('POST', `/api/tickets/${ticket.number}/notes`, tokens.lead, { body: 'two', version: 1 });
    expect([first.status, second.status]).toEqual([201, 409]);
    expect(second.json.error).toBe('conflict');
  });

  it('when an agent takes, works and resolves a ticket, then list, filters, history and audit show it', async () => {
    const ticket = await open('Trainers too small, want a refund');
    const other = await open('Jacket arrived torn', 'complaint');

    const unassigned = await bot.api('GET', '/api/tickets?assignee=none&category=return&sort=created&limit=200', tokens.alice);
    expect(unassigned.status).toBe(200);
    expect(unassigned.json.items?.map((t) => t.number)).toContain(ticket.number);
    expect(unassigned.json.items?.map((t) => t.number)).not.toContain(other.number);

    const taken = await bot.api('POST', `/api/tickets/${ticket.number}/assign`, tokens.alice, { assigneeId: 'me' });
    expect([taken.status, taken.json.ownerId, taken.json.assigneeId]).toEqual([200, ids.alice, ids.alice]);
    const opened = await bot.api('POST', `/api/tickets/${ticket.number}/status`, tokens.alice, { status: 'OPEN', reason: 'working on it', version: taken.json.version });
    expect(opened.json.status).toBe('OPEN');
    expect((await bot.api('POST', `/api/tickets/${ticket.number}/comments`, tokens.alice, { body: 'Please send the shoes back; the label is on its way.' })).status).toBe(201);
    expect((await bot.api('POST', `/api/tickets/${ticket.number}/notes`, tokens.alice, { body: 'Customer is a Gold member' })).status).toBe(201);
    const resolved = await bot.api('POST', `/api/tickets/${ticket.number}/status`, tokens.alice, { status: 'RESOLVED', resolutionSummary: 'Refund issued' });
    expect([resolved.json.status, resolved.json.resolutionSummary]).toEqual(['RESOLVED', 'Refund issued']);

    const mine = await bot.api('GET', '/api/tickets?assignee=me&status=RESOLVED', tokens.alice);
    expect(mine.json.items?.map((t) => t.number)).toEqual([ticket.number]);
    const byNumber = await bot.api('GET', `/api/tickets?q=${ticket.number}`, tokens.lead);
    expect(byNumber.json.items?.map((t) => t.number)).toEqual([ticket.number]);
    const bySummary = await bot.api('GET', '/api/tickets?q=arrived%20torn', tokens.lead);
    expect(bySummary.json.items?.map((t) => t.number)).toEqual([other.number]);

    const view = await bot.api('GET', `/api/tickets/${ticket.number}`, tokens.alice);
    expect(view.json.events?.map((e) => [e.type, e.actor.type, e.actor.id, e.toStatus ?? e.body])).toEqual([
      ['CREATED', 'bot', null, 'NEW'],
      ['ASSIGNED', 'agent', ids.alice, null],
      ['STATUS_CHANGED', 'agent', ids.alice, 'OPEN'],
      ['COMMENT', 'agent', ids.alice, 'Please send the shoes back; the label is on its way.'],
      ['NOTE', 'agent', ids.alice, 'Customer is a Gold member'],
      ['STATUS_CHANGED', 'agent', ids.alice, 'RESOLVED'],
    ]);
    const audit = await bot.app.store.db.auditLog.findMany({ where: { entity: 'Ticket', entityId: ticket.id, actorType: 'agent' }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ['ticket.assign', ids.alice],
      ['ticket.status', ids.alice],
      ['ticket.comment', ids.alice],
      ['ticket.note', ids.alice],
      ['ticket.status', ids.alice],
    ]);
  });

  it('when listing overdue tickets ordered by due time, then only unsettled tickets past their deadline come, soonest first', async () => {
    const late = await open('late one', 'consultation');
    const later = await open('later one', 'consultation');
    const onTime = await open('on time', 'consultation');
    const past = (h: number) => new Date(bot.clock.now().getTime() - h * 3_600_000);
    await bot.app.store.db.ticket.update({ where: { id: late.id }, data: { dueAt: past(5) } });
    await bot.app.store.db.ticket.update({ where: { id: later.id }, data: { dueAt: past(1) } });
    const res = await bot.api('GET', `/api/tickets?overdue=true&customer=${customer.id}&category=consultation`, tokens.lead);
    expect(res.json.items?.map((t) => [t.number, t.overdue])).toEqual([
      [late.number, true],
      [later.number, true],
    ]);
    expect(res.json.items?.map((t) => t.number)).not.toContain(onTime.number);
  });

  it('when an agent lists tickets, then they see their own and unassigned ones but not a colleague\'s', async () => {
    const bobs = await open('for bob only');
    await bot.api('POST', `/api/tickets/${bobs.number}/assign`, tokens.lead, { assigneeId: ids.bob });
    const alices = await bot.api('GET', `/api/tickets?customer=${customer.id}&limit=200`, tokens.alice);
    const leads = await bot.api('GET', `/api/tickets?customer=${customer.id}&limit=200`, tokens.lead);
    expect(alices.json.items?.map((t) => t.number)).not.toContain(bobs.number);
    expect(leads.json.items?.map((t) => t.number)).toContain(bobs.number);
    expect(alices.json.items?.every((t) => t.assigneeId === null || t.assigneeId === ids.alice || t.ownerId === ids.alice)).toBe(true);
  });
});
