import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';

/*
 * Shorter SLA targets for valued customers (TICKETS_SLA_VALUED_FACTOR): a diamond customer, or one
 * the segment job put in the high value class, gets half the time on the real app's tickets; any
 * other customer the handbook's targets. The share is fixed when the ticket opens and kept when its
 * deadlines are recomputed.
 */
describe.each(PROVIDERS)('shorter SLA targets for valued customers (%s)', (provider) => {
  const bot = new TestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false', TICKETS_SLA_VALUED_FACTOR: '0.5' });
  const HOUR = 3_600_000;

  beforeAll(() => bot.start());
  afterAll(() => bot.stop());

  async function customer(conversation: string, tier: 'SILVER' | 'DIAMOND', valueClass?: string): Promise<string> {
    await bot.say({ conversationId: conversation, text: 'hello', locale: 'en-US' });
    const { customerId } = await bot.app.store.db.conversation.findFirstOrThrow({ where: { channelConversationId: conversation } });
    await bot.app.store.db.customer.update({ where: { id: customerId! }, data: { tier } });
    if (valueClass) {
      await bot.app.store.db.customerSegment.create({
        data: { customerId: customerId!, recencyDays: 3, frequency: 5, monetary: 90000, rScore: 5, fScore: 5, mScore: 5, valueClass, stage: 'active', changedAt: new Date(), runId: 'test' },
      });
    }
    return customerId!;
  }

  const consultation = async (customerId: string) => {
    const ticket = await bot.app.features.tickets.tickets.open({ customerId, category: 'consultation', summary: 'Invoice?', actor: { type: 'bot' } });
    return { ticket, hours: (ticket.firstResponseDueAt!.getTime() - ticket.createdAt.getTime()) / HOUR };
  };

  test('when a diamond or high-value customer opens a consultation, then it is answered within 12 h instead of 24 h, and a recomputation keeps it', async () => {
    const diamond = await consultation(await customer('sla-diamond', 'DIAMOND'));
    const valued = await consultation(await customer('sla-high', 'SILVER', 'high'));
    const ordinary = await consultation(await customer('sla-low', 'SILVER', 'low'));
    expect([diamond.hours, valued.hours, ordinary.hours]).toEqual([12, 12, 24]);
    expect([diamond.ticket.slaFactor, valued.ticket.slaFactor, ordinary.ticket.slaFactor]).toEqual([0.5, 0.5, 1]);

    const { agent } = await bot.app.features.tickets.agents.create({ name: 'Lin', role: 'agent' });
    const escalated = await bot.app.features.tickets.tickets.changeStatus(diamond.ticket.number, 'ESCALATED', { type: 'agent', id: agent.id }, { reason: 'needs a supervisor' });
    expect((escalated.firstResponseDueAt!.getTime() - escalated.createdAt.getTime()) / HOUR).toBe(12);
  });
});
