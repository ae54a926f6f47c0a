import { openStore, type Store } from '../../src/store/db';
import { EventLog } from '../../src/events/eventLog';
import { runSlaWatch, SLA_ALERT, type SlaAlert } from '../../src/features/tickets/slaWatch';
import type { TicketService } from '../../src/features/tickets/service';
import { openTestStore, PROVIDERS } from '../support/db';
import { sh, TestClock } from '../support/clock';
import { agent, customerWithConversation, ticketService } from './support';

describe.each(PROVIDERS)('SLA watch on %s', (provider) => {
  let store: Store;
  let close: () => Promise<void>;
  let clock: TestClock;
  let tickets: TicketService;
  let alerts: SlaAlert[];

  beforeAll(async () => {
    const t = await openTestStore(provider, 'slawatch');
    store = t.store;
    close = t.close;
  });
  afterAll(() => close());
  beforeEach(async () => {
    // Each test starts from a store where nothing is waiting for the watch.
    await store.db.ticket.updateMany({ data: { slaWarnAt: null, slaBreachAt: null } });
    clock = new TestClock(sh('2026-11-26T10:00:00'));
    tickets = ticketService(store.db, clock, provider);
    alerts = [];
  });

  const events = new EventLog(provider);
  const watch = async (at: Date, db: Pick<Store, 'db' | 'provider'> = store) => {
    const result = await runSlaWatch({ store: db, tickets, events, batch: 100 }, at);
    alerts.push(...result.alerts);
    return result;
  };
  /** The ticket.sla_alert events recorded for a ticket (what agents and supervisors are told). */
  const alertEventsOf = async (ticketId: string) =>
    (await store.db.domainEvent.findMany({ where: { type: SLA_ALERT, subject: `Ticket:${ticketId}` }, orderBy: { id: 'asc' } })).map((e) => e.payload as unknown as SlaAlert);
  const eventsOf = (ticketId: string) => store.db.ticketEvent.findMany({ where: { ticketId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });

  it('when a ticket reaches 80 % of its time, then its owner is warned once, however often the watch runs', async () => {
    const { customer } = await customerWithConversation(store.db);
    const owner = await agent(store.db);
    const ticket = await tickets.open({ customerId: customer.id, category: 'consultation', summary: 'q', actor: { type: 'bot' } });
    await tickets.changeStatus(ticket.id, 'OPEN', { type: 'agent', id: owner.id, role: 'agent' });

    expect((await watch(sh('2026-11-27T05:00:00'))).warnings).toBe(0); // 19 h: not yet
    expect((await watch(sh('2026-11-27T05:13:00'))).warnings).toBe(1); // 19.2 h = 80 % of 24 h
    expect((await watch(sh('2026-11-27T06:00:00'))).warnings).toBe(0);

    const warnings = (await eventsOf(ticket.id)).filter((e) => e.type === 'SLA_WARNING');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].data).toEqual({ target: 'first_response', dueAt: ticket.dueAt?.toISOString(), notify: { type: 'agent', id: owner.id } });
    expect(alerts.map((a) => [a.kind, a.number, a.recipient])).toEqual([['warning', ticket.number, { type: 'agent', id: owner.id }]]);
    // The alert is recorded as an event in the watch's transaction, once, for its subscribers.
    expect((await alertEventsOf(ticket.id)).map((a) => [a.kind, a.number, a.recipient])).toEqual([['warning', ticket.number, { type: 'agent', id: owner.id }]]);
    const audit = await store.db.auditLog.findMany({ where: { entityId: ticket.id, action: 'ticket.sla_warning' } });
    expect(audit.map((a) => a.actorType)).toEqual(['system']);
  });

  it('when an unassigned ticket nears its deadline, then the warning goes to the unassigned queue', async () => {
    const { customer } = await customerWithConversation(store.db);
    const ticket = await tickets.open({ customerId: customer.id, category: 'order_issue', summary: 'not confirmed', actor: { type: 'bot' } });
    await watch(sh('2026-11-26T11:40:00')); // 100 of 120 working minutes
    expect(alerts.map((a) => [a.number, a.recipient])).toEqual([[ticket.number, { type: 'queue', name: 'unassigned' }]]);
  });

  it('when the deadline passes, then the breach is recorded once, the priority goes up a step and the ticket is escalated', async () => {
    const { customer } = await customerWithConversation(store.db);
    const ticket = await tickets.open({ customerId: customer.id, category: 'return', summary: 'refund?', actor: { type: 'bot' } });
    const first = await watch(sh('2026-11-27T10:00:00'));
    const second = await watch(sh('2026-11-27T11:00:00'));
    expect([first.breaches, first.escalations, second.breaches]).toEqual([1, 1, 0]);
    const after = await tickets.get(ticket.id);
    expect([after.status, after.priority, after.slaBreachAt, after.slaWarnAt]).toEqual(['ESCALATED', 'high', null, null]);
    const types = (await eventsOf(ticket.id)).map((e) => (e.type === 'STATUS_CHANGED' ? `${e.fromStatus}->${e.toStatus}` : e.type));
    expect(types).toEqual(['CREATED', 'SLA_BREACH', 'PRIORITY_CHANGED', 'NEW->ESCALATED']);
    expect(alerts.map((a) => [a.kind, a.recipient, a.escalated])).toEqual([['breach', { type: 'queue', name: 'supervisors' }, true]]);
  });

  it('when a ticket is waiting on the customer, then the watch leaves it alone past its old deadline', async () => {
    const { customer } = await customerWithConversation(store.db);
    const a = await agent(store.db);
    const ticket = await tickets.open({ customerId: customer.id, category: 'complaint', summary: 'rude courier', actor: { type: 'bot' } });
    await tickets.changeStatus(ticket.id, 'OPEN', { type: 'agent', id: a.id, role: 'agent' });
    await tickets.changeStatus(ticket.id, 'PENDING_CUSTOMER', { type: 'agent', id: a.id, role: 'agent' });
    expect(await watch(sh('2026-12-05T10:00:00'))).toEqual({ skipped: false, warnings: 0, breaches: 0, escalations: 0, alerts: [] });
  });

  it('when a reopened ticket breaches, then it is not escalated (not allowed from REOPENED) but its priority is raised', async () => {
    const { customer } = await customerWithConversation(store.db);
    const a = await agent(store.db);
    const actor = { type: 'agent' as const, id: a.id, role: 'agent' as const };
    const ticket = await tickets.open({ customerId: customer.id, category: 'complaint', summary: 'broken again', actor: { type: 'bot' }, priority: 'urgent' });
    await tickets.changeStatus(ticket.id, 'OPEN', actor);
    await tickets.changeStatus(ticket.id, 'RESOLVED', actor, { resolutionSummary: 'replaced' });
    await tickets.changeStatus(ticket.id, 'REOPENED', { type: 'customer', id: customer.id });
    const result = await watch(sh('2026-11-29T10:00:00'));
    expect([result.breaches, result.escalations]).toEqual([1, 0]);
    const after = await tickets.get(ticket.id);
    expect([after.status, after.priority]).toEqual(['REOPENED', 'urgent']);
  });

  it('when two watchers race without the lock over the same breached tickets, then each breach and escalation is recorded once', async () => {
    const { customer } = await customerWithConversation(store.db);
    const opened = [];
    for (let i = 0; i < 10; i++) opened.push(await tickets.open({ customerId: customer.id, category: 'order_issue', summary: `late ${i}`, actor: { type: 'bot' } }));
    // PostgreSQL: a second connection pool, as a second instance would have. SQLite: one process owns
    // the file (a second connection would only wait on the first's lock), so both share the store.
    const other = provider === 'postgresql' ? await openStore(store.url, { poolSize: 2 }) : store;
    try {
      // provider 'sqlite' makes the pass skip the advisory lock: only the version guard stands between them.
      const at = sh('2026-11-27T10:00:00');
      const [a, b] = await Promise.all([watch(at, { db: store.db, provider: 'sqlite' }), watch(at, { db: other.db, provider: 'sqlite' })]);
      expect(a.breaches + b.breaches).toBe(10);
    } finally {
      if (other !== store) await other.close();
    }
    const ids = opened.map((t) => t.id);
    expect(await store.db.ticketEvent.count({ where: { ticketId: { in: ids }, type: 'SLA_BREACH' } })).toBe(10);
    expect(await store.db.ticketEvent.count({ where: { ticketId: { in: ids }, type: 'STATUS_CHANGED', toStatus: 'ESCALATED' } })).toBe(10);
  });
});

describe('SLA watch on postgresql with two instances', () => {
  it('when two watchers on separate connections run at once, then one escalation event and one breach event are recorded', async () => {
    const t = await openTestStore('postgresql', 'slarace');
    const second = await openStore(t.store.url, { poolSize: 2 });
    try {
      const clock = new TestClock(sh('2026-11-26T10:00:00'));
      const a = ticketService(t.store.db, clock, 'postgresql');
      const b = ticketService(second.db, clock, 'postgresql');
      const { customer } = await customerWithConversation(t.store.db);
      const ticket = await a.open({ customerId: customer.id, category: 'order_issue', summary: 'order not confirmed', actor: { type: 'bot' } });
      const at = sh('2026-11-26T12:30:00');
      const results = await Promise.all([
        runSlaWatch({ store: t.store, tickets: a, events: new EventLog('postgresql'), batch: 100 }, at),
        runSlaWatch({ store: second, tickets: b, events: new EventLog('postgresql'), batch: 100 }, at),
      ]);
      expect(results.reduce((n, r) => n + r.breaches, 0)).toBe(1);
      const events = await t.store.db.ticketEvent.findMany({ where: { ticketId: ticket.id } });
      expect(events.filter((e) => e.type === 'SLA_BREACH')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'STATUS_CHANGED' && e.toStatus === 'ESCALATED')).toHaveLength(1);
    } finally {
      await second.close();
      await t.close();
    }
  });
});
