import type { Customer } from '../../generated/sqlite/client';
import { PROVIDERS } from '../support/db';
import { TicketsTestBot } from './app';

/** The ticket API's edges, as a careless or hostile client would hit them (issue 14's low findings). */
describe.each(PROVIDERS)('ticket API edges on %s', (provider) => {
  const bot = new TicketsTestBot(provider);
  const tokens = { alice: '', lead: '', boss: '' };
  const ids = { alice: '', lead: '', boss: '' };
  let customer: Customer;

  beforeAll(async () => {
    await bot.start();
    for (const [name, role] of [['alice', 'agent'], ['lead', 'supervisor'], ['boss', 'manager']] as const) {
      const { agent, token } = await bot.module.agents.create({ name: `${name}-edges`, role });
      tokens[name] = token;
      ids[name] = agent.id;
    }
    customer = await bot.app.store.db.customer.create({ data: { name: 'Edge customer' } });
    await bot.module.tickets.open({ customerId: customer.id, category: 'return', summary: 'Scarf too small', actor: { type: 'bot' } });
    await bot.module.tickets.open({ customerId: customer.id, category: 'consultation', summary: 'Invoice for order 100% paid', actor: { type: 'bot' } });
  });
  afterAll(() => bot.stop());

  it('when a date filter is out of range or not a real date, then 400 says which (no 500, no silent roll-over)', async () => {
    for (const bad of ['9999-99-99', '2026-13-45', '2026-02-30', '0000-00-00', '+275760-09-14T00:00:00Z', 'yesterday']) {
      const res = await bot.api('GET', `/api/tickets?createdFrom=${encodeURIComponent(bad)}`, tokens.lead);
      expect([bad, res.status]).toEqual([bad, 400]);
      expect((res.json as { message: string }).message).toMatch(/createdFrom/);
    }
    const good = await bot.api('GET', '/api/tickets?createdFrom=2026-02-28&createdTo=2099-12-31T23:59:59Z', tokens.lead);
    expect(good.status).toBe(200);
  });

  it('when the search text is % or _, then it matches those characters, not every ticket', async () => {
    const list = async (q: string) => {
      const res = await bot.api('GET', `/api/tickets?q=${encodeURIComponent(q)}`, tokens.lead);
      expect(res.status).toBe(200);
      return (res.json as unknown as { items: { summary: string }[] }).items.map((t) => t.summary);
    };
    expect(await list('%')).toEqual(['Invoice for order 100% paid']);
    expect(await list('_')).toEqual([]);
    expect(await list('Sc_rf')).toEqual([]);
    expect(await list('scarf')).toEqual(['Scarf too small']);
  });

  it('when a text carries a NUL byte or a lone surrogate, then 400 with a reason and nothing is stored', async () => {
    const ticket = await bot.module.tickets.open({ customerId: customer.id, category: 'return', summary: 'Broken mug', actor: { type: 'bot' } });
    await bot.api('POST', `/api/tickets/${ticket.number}/assign`, tokens.lead, { assigneeId: ids.alice });
    for (const body of ['bad\u0000byte', 'lone \ud800 surrogate']) {
      const res = await bot.api('POST', `/api/tickets/${ticket.number}/notes`, tokens.alice, { body });
      expect(res.status).toBe(400);
      expect((res.json as { message: string }).message).toMatch(/body/);
    }
    const search = await bot.api('GET', `/api/tickets?q=${encodeURIComponent('a\u0000b')}`, tokens.lead);
    expect(search.status).toBe(400);
    const events = await bot.app.store.db.ticketEvent.count({ where: { ticketId: ticket.id, type: 'NOTE' } });
    expect(events).toBe(0);
  });

  it('when a supervisor assigns a ticket to a manager, then 400: managers read tickets, they do not work them', async () => {
    const ticket = await bot.module.tickets.open({ customerId: customer.id, category: 'return', summary: 'Wrong size', actor: { type: 'bot' } });
    const res = await bot.api('POST', `/api/tickets/${ticket.number}/assign`, tokens.lead, { assigneeId: ids.boss });
    expect(res.status).toBe(400);
    expect((res.json as { message: string }).message).toMatch(/manager/i);
    const stored = await bot.app.store.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(stored.assigneeId).toBeNull();
  });
});
