import type { Store } from '../../src/store/db';
import type { TicketService } from '../../src/features/tickets/service';
import { TransitionRefused } from '../../src/features/tickets/statusMachine';
import { AppError } from '../../src/errors';
import { openTestStore, PROVIDERS } from '../support/db';
import { sh, TestClock } from '../support/clock';
import { agent, customerWithConversation, noticesOf, ticketService } from './support';

describe.each(PROVIDERS)('ticket service on %s', (provider) => {
  let store: Store;
  let close: () => Promise<void>;
  let clock: TestClock;
  let tickets: TicketService;

  beforeAll(async () => {
    const t = await openTestStore(provider, 'tickets');
    store = t.store;
    close = t.close;
  });
  afterAll(() => close());
  beforeEach(() => {
    clock = new TestClock(sh('2026-11-26T10:00:00'));
    tickets = ticketService(store.db, clock, provider);
  });

  it('when a return ticket is opened, then it gets a readable number, a deadline, a CREATED event and an audit row', async () => {
    const { customer, conversation } = await customerWithConversation(store.db);
    clock.set(sh('2026-11-27T17:30:00'));
    const ticket = await tickets.open({ customerId: customer.id, conversationId: conversation.id, category: 'return', summary: '鞋子尺码不合适', locale: 'zh-CN', actor: { type: 'bot' } });
    expect(ticket.number).toMatch(/^T20261127\d{4}$/);
    expect(ticket.status).toBe('NEW');
    expect(ticket.dueAt).toEqual(sh('2026-11-30T17:30:00'));
    expect(ticket.firstResponseDueAt).toEqual(sh('2026-11-30T17:30:00'));
    const events = await store.db.ticketEvent.findMany({ where: { ticketId: ticket.id } });
    expect(events.map((e) => e.type)).toEqual(['CREATED']);
    const audit = await store.db.auditLog.findMany({ where: { entity: 'Ticket', entityId: ticket.id } });
    expect(audit.map((a) => [a.action, a.actorType])).toEqual([['ticket.create', 'bot']]);
  });

  it('when tickets are opened just after midnight in Shanghai, then their number carries the Shanghai date, counting from 0001', async () => {
    const { customer } = await customerWithConversation(store.db);
    clock.set(new Date('2026-12-01T16:30:00Z')); // 00:30 on 2 Dec in Shanghai
    const first = await tickets.open({ customerId: customer.id, category: 'consultation', summary: 'invoice', actor: { type: 'bot' } });
    const second = await tickets.open({ customerId: customer.id, category: 'consultation', summary: 'invoice again', actor: { type: 'bot' } });
    expect([first.number, second.number]).toEqual(['T202612020001', 'T202612020002']);
  });

  it('when 30 tickets are opened at the same time, then every number is unique and the day has no gaps', async () => {
    const { customer } = await customerWithConversation(store.db);
    clock.set(sh('2026-12-03T11:00:00'));
    const opened = await Promise.all(
      Array.from({ length: 30 }, (_, i) => tickets.open({ customerId: customer.id, category: 'other', summary: `race ${i}`, actor: { type: 'bot' } })),
    );
    const numbers = opened.map((t) => t.number).sort();
    expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => `T20261203${String(i + 1).padStart(4, '0')}`));
  });

  it('when an agent works a ticket through its life, then owner, assignee, history, pause and notices follow', async () => {
    const { customer, conversation } = await customerWithConversation(store.db);
    const alice = await agent(store.db, 'agent', 'alice');
    const bob = await agent(store.db, 'agent', 'bob');
    const lead = await agent(store.db, 'supervisor', 'lead');
    clock.set(sh('2026-11-26T10:00:00')); // Thursday
    const ticket = await tickets.open({ customerId: customer.id, conversationId: conversation.id, category: 'repair', summary: 'kettle broken', actor: { type: 'bot' } });
    expect(ticket.dueAt).toEqual(sh('2026-11-30T10:00:00'));

    const asAlice = { type: 'agent' as const, id: alice.id, role: 'agent' as const };
    clock.set(sh('2026-11-26T11:00:00'));
    const opened = await tickets.changeStatus(ticket.number, 'OPEN', asAlice);
    expect([opened.ownerId, opened.assigneeId]).toEqual([alice.id, alice.id]);

    clock.set(sh('2026-11-27T16:00:00'));
    const waiting = await tickets.changeStatus(ticket.number, 'PENDING_CUSTOMER', asAlice, { reason: 'asked for photos' });
    expect(waiting.pausedAt).toEqual(sh('2026-11-27T16:00:00'));
    expect(waiting.firstRespondedAt).toEqual(sh('2026-11-27T16:00:00'));

    // Repair has only a first-response target: answered, so no running deadline any more.
    expect(waiting.dueAt).toBeNull();

    clock.set(sh('2026-11-30T11:00:00'));
    const back = await tickets.changeStatus(ticket.number, 'OPEN', asAlice);
    expect(back.pausedAt).toBeNull();
    expect(back.pausedWorkingSeconds).toBe(4 * 3600);
    // The first-response deadline (already met) moved out by the 4 paused working hours all the same.
    expect(back.firstResponseDueAt).toEqual(sh('2026-11-30T14:00:00'));

    const reassigned = await tickets.assign(ticket.number, bob.id, { type: 'agent', id: lead.id, role: 'supervisor' });
    expect([reassigned.ownerId, reassigned.assigneeId]).toEqual([alice.id, bob.id]);

    clock.set(sh('2026-11-30T15:00:00'));
    const resolved = await tickets.changeStatus(ticket.number, 'RESOLVED', { type: 'agent', id: bob.id, role: 'agent' }, { resolutionSummary: 'Sent a new kettle' });
    expect(resolved.resolvedAt).toEqual(sh('2026-11-30T15:00:00'));
    expect(resolved.resolutionSummary).toBe('Sent a new kettle');
    const closed = await tickets.changeStatus(ticket.number, 'CLOSED', { type: 'agent', id: bob.id, role: 'agent' });
    expect(closed.closedAt).toEqual(sh('2026-11-30T15:00:00'));
    expect(closed.ownerId).toBe(alice.id);

    const history = await tickets.getWithHistory(ticket.number);
    expect(history.events.map((e) => (e.type === 'STATUS_CHANGED' ? `${e.fromStatus}->${e.toStatus}` : e.type))).toEqual([
      'CREATED',
      'ASSIGNED',
      'NEW->OPEN',
      'OPEN->PENDING_CUSTOMER',
      'PENDING_CUSTOMER->OPEN',
      'ASSIGNED',
      'OPEN->RESOLVED',
      'RESOLVED->CLOSED',
    ]);
    // Each notice is recorded as a ticket.notice event in the change's transaction (delivered after it commits).
    expect((await noticesOf(store.db, ticket.id)).map((n) => n.kind)).toEqual(['opened', 'waiting', 'resolved', 'closed']);
    const audit = await store.db.auditLog.count({ where: { entity: 'Ticket', entityId: ticket.id } });
    expect(audit).toBe(7);
  });

  it('when a complaint waits on the customer, then its resolution deadline moves out by the calendar time paused', async () => {
    const { customer } = await customerWithConversation(store.db);
    const alice = await agent(store.db);
    const asAlice = { type: 'agent' as const, id: alice.id, role: 'agent' as const };
    clock.set(sh('2026-11-26T10:00:00'));
    const ticket = await tickets.open({ customerId: customer.id, category: 'complaint', complaintType: 'logistics', summary: 'parcel crushed', actor: { type: 'bot' } });
    expect(ticket.dueAt).toEqual(sh('2026-11-28T10:00:00'));
    await tickets.changeStatus(ticket.id, 'OPEN', asAlice);
    clock.set(sh('2026-11-26T20:00:00'));
    await tickets.changeStatus(ticket.id, 'PENDING_CUSTOMER', asAlice);
    clock.set(sh('2026-11-27T06:00:00'));
    const back = await tickets.changeStatus(ticket.id, 'OPEN', asAlice);
    expect(back.dueAt).toEqual(sh('2026-11-28T20:00:00'));
    expect(back.slaBreachAt).toEqual(sh('2026-11-28T20:00:00'));
  });

  it('when a move is not in the table, then it is refused with the reason and nothing is written', async () => {
    const { customer } = await customerWithConversation(store.db);
    const ticket = await tickets.open({ customerId: customer.id, category: 'other', summary: 'x', actor: { type: 'bot' } });
    await expect(tickets.changeStatus(ticket.id, 'CLOSED', { type: 'system' })).rejects.toThrow(new TransitionRefused('NEW', 'CLOSED', 'no_such_transition', 'NEW → CLOSED is not allowed; from NEW a ticket can go to OPEN, ESCALATED'));
    const after = await tickets.getWithHistory(ticket.id);
    expect([after.status, after.version, after.events.length]).toEqual(['NEW', 1, 1]);
  });

  it('when a resolved ticket is reopened after 7 days, then it is refused; within 7 days it reopens', async () => {
    const { customer } = await customerWithConversation(store.db);
    const a = await agent(store.db);
    const actor = { type: 'agent' as const, id: a.id, role: 'agent' as const };
    clock.set(sh('2026-11-02T10:00:00'));
    const ticket = await tickets.open({ customerId: customer.id, category: 'exchange', summary: 'wrong colour', actor: { type: 'bot' } });
    await tickets.changeStatus(ticket.id, 'OPEN', actor);
    await tickets.changeStatus(ticket.id, 'RESOLVED', actor, { resolutionSummary: 'exchanged' });
    clock.set(sh('2026-11-10T10:00:00'));
    await expect(tickets.changeStatus(ticket.id, 'REOPENED', { type: 'customer', id: customer.id })).rejects.toThrow('RESOLVED → REOPENED is only allowed within 7 days of resolution');
    clock.set(sh('2026-11-09T09:00:00'));
    const reopened = await tickets.changeStatus(ticket.id, 'REOPENED', { type: 'customer', id: customer.id });
    expect(reopened.status).toBe('REOPENED');
    expect(reopened.resolvedAt).toBeNull();
  });

  it('when a stale version is sent, then the change is refused as a conflict', async () => {
    const { customer } = await customerWithConversation(store.db);
    const a = await agent(store.db);
    const ticket = await tickets.open({ customerId: customer.id, category: 'other', summary: 'x', actor: { type: 'bot' } });
    await tickets.note(ticket.id, 'first look', { type: 'agent', id: a.id, role: 'agent' }, { expectedVersion: 1 });
    const err = await tickets.note(ticket.id, 'second look', { type: 'agent', id: a.id, role: 'agent' }, { expectedVersion: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('conflict');
  });

  it('when an agent writes an internal note, then nothing is sent to the customer; a comment is', async () => {
    const { customer, conversation } = await customerWithConversation(store.db);
    const a = await agent(store.db);
    const ticket = await tickets.open({ customerId: customer.id, conversationId: conversation.id, category: 'consultation', summary: 'size chart?', actor: { type: 'bot' } });
    await tickets.note(ticket.id, 'customer is a repeat buyer', { type: 'agent', id: a.id, role: 'agent' });
    expect(await noticesOf(store.db, ticket.id)).toEqual([]);
    const commented = await tickets.comment(ticket.id, 'The size chart is on the product page.', { type: 'agent', id: a.id, role: 'agent' });
    expect((await noticesOf(store.db, ticket.id)).map((n) => [n.kind, n.body])).toEqual([['comment', 'The size chart is on the product page.']]);
    expect(commented.firstRespondedAt).toEqual(clock.current);
    expect(commented.dueAt).toBeNull();
  });

  it("when a customer asks for another customer's ticket number, then it is not found", async () => {
    const mine = await customerWithConversation(store.db);
    const theirs = await customerWithConversation(store.db);
    const ticket = await tickets.open({ customerId: theirs.customer.id, category: 'other', summary: 'x', actor: { type: 'bot' } });
    expect(await tickets.findForCustomer(mine.customer.id, ticket.number)).toBeUndefined();
    expect((await tickets.findForCustomer(theirs.customer.id, ticket.number.toLowerCase()))?.id).toBe(ticket.id);
  });
});
