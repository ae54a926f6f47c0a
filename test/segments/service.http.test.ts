import { HandoffTestBot, PROVIDERS } from '../handoff/support';
import type { StaffBrowser } from '../staff/support';

/*
 * Service by value over the real app: the handoff queue puts complaints first, then tier, then value
 * class; the agent's case card shows tier, value class and stage; the recomputation on demand is
 * for managers.
 */
describe.each(PROVIDERS)('service by value on %s', (provider) => {
  const bot = new HandoffTestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false' });
  let manager: StaffBrowser;

  beforeAll(async () => {
    await bot.startWithStaff();
    manager = await bot.signedInManager();
  }, 90_000);
  afterAll(() => bot.stop());

  /** A customer who said hello, with the tier and the segment given. */
  async function customer(conversation: string, tier: 'SILVER' | 'GOLD', valueClass: string, stage: string): Promise<string> {
    await bot.write(conversation, 'hello', 'en-US');
    const { customerId } = await bot.conversation(conversation);
    const db = bot.app.store.db;
    await db.customer.update({ where: { id: customerId! }, data: { tier, name: conversation } });
    await db.customerSegment.create({
      data: { customerId: customerId!, recencyDays: 3, frequency: 2, monetary: 100, rScore: 3, fScore: 3, mScore: 3, valueClass, stage, changedAt: new Date(), runId: 'test' },
    });
    return customerId!;
  }

  test('when customers of the same tier wait, then the high-value one goes first; tier still outranks value; the case card and the ticket show tier, value and stage', async () => {
    await bot.lin.request('POST', '/agent/api/presence', { status: 'online' });
    await customer('silver-low', 'SILVER', 'low', 'active');
    await customer('silver-high', 'SILVER', 'high', 'active');
    await customer('gold-low', 'GOLD', 'low', 'dormant');
    await customer('silver-medium', 'SILVER', 'medium', 'new');
    for (const c of ['silver-low', 'silver-high', 'gold-low', 'silver-medium']) await bot.write(c, 'talk to a person', 'en-US');
    const queue = await bot.lin.request('GET', '/agent/api/queue');
    const names = (queue.json.items as { customer: { name: string } }[]).map((i) => i.customer.name);
    expect(names).toEqual(['gold-low', 'silver-high', 'silver-medium', 'silver-low']);

    const { id } = await bot.handoffOf('silver-high');
    const card = await bot.lin.request('GET', `/agent/api/chats/${id}`);
    expect(card.json.customer).toMatchObject({ tier: 'SILVER', valueClass: 'high', stage: 'active' });
    const page = await bot.lin.request('GET', '/agent?lang=en-US');
    expect(page.status).toBe(200);

    // The customer's ticket shows the same.
    const customerId = (await bot.conversation('gold-low')).customerId!;
    const ticket = await bot.app.features.tickets.tickets.open({ customerId, category: 'consultation', summary: 'Invoice?', actor: { type: 'bot' } });
    const { token } = await bot.app.features.tickets.agents.create({ name: 'Sun', role: 'supervisor' });
    const shown = await fetch(`${bot.app.url}/api/tickets/${ticket.number}`, { headers: { authorization: `Bearer ${token}` } });
    expect(shown.status).toBe(200);
    expect(((await shown.json()) as { customer: unknown }).customer).toEqual({ tier: 'GOLD', valueClass: 'low', stage: 'dormant' });
  });

  test('when a manager asks for a recomputation, then it runs and the customer\'s history can be read; an agent may not start it', async () => {
    expect((await bot.lin.request('POST', '/segments/api/recompute', {})).status).toBe(403);
    const answer = await manager.request('POST', '/segments/api/recompute', {});
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ outcome: 'done', run: { status: 'DONE' } });
    const someone = await bot.conversation('silver-low');
    const mine = await bot.lin.request('GET', `/segments/api/customers/${someone.customerId}`);
    expect(mine.status).toBe(200);
    // The test's rows said "low, active"; the real figures (no order, signed up today) say "potential, new".
    expect(mine.json.segment).toMatchObject({ valueClass: 'potential', stage: 'new' });
    expect((mine.json.history as unknown[]).length).toBe(2);
    expect((await bot.lin.request('GET', '/segments/api/customers/nobody')).status).toBe(404);
  });
});
