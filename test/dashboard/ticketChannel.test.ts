import { DashboardReports } from '../../src/features/dashboard/report';
import type { Store } from '../../src/store/db';
import { sh, TestClock } from '../support/clock';
import { PROVIDERS, openTestStore } from '../support/db';
import { customerWithConversation, ticketService } from '../tickets/support';

/*
 * The dashboard's channel filter reads the channel on the ticket itself: the ticket keeps the channel of the
 * conversation it was opened in, also once that conversation is deleted (a customer's erasure request).
 */
describe.each(PROVIDERS)('tickets by channel on %s', (provider) => {
  let store: Store;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ store, close } = await openTestStore(provider, 'ticketchannel'));
  });
  afterAll(async () => close());

  test('when a customer opens a ticket in a chat, then the ticket keeps its channel and the channel filter counts it, even after the conversation is deleted', async () => {
    const clock = new TestClock(sh('2026-11-26T10:00:00'));
    const tickets = ticketService(store.db, clock, provider);
    const { customer, conversation } = await customerWithConversation(store.db, 'zh-CN');
    await customerWithConversation(store.db); // another conversation keeps the channel known
    const opened = await tickets.open({ customerId: customer.id, conversationId: conversation.id, category: 'complaint', summary: '快递盒子压坏了', actor: { type: 'customer', id: customer.id } });
    await tickets.open({ customerId: customer.id, category: 'consultation', summary: '发票怎么开', actor: { type: 'customer', id: customer.id } });
    expect((await store.db.ticket.findUniqueOrThrow({ where: { id: opened.id } })).channelId).toBe('test');

    const reports = new DashboardReports({ db: store.db, provider, timeZone: 'Asia/Shanghai', clock: clock.now, lowScore: 2 });
    const day = { from: '2026-11-26', to: '2026-11-26', granularity: 'day' as const };
    expect((await reports.report(day)).tickets.opened).toBe(2);
    expect((await reports.report({ ...day, channel: 'test' })).tickets.opened).toBe(1);

    await store.db.conversation.delete({ where: { id: conversation.id } });
    const after = await reports.report({ ...day, channel: 'test' });
    expect(after.tickets.opened).toBe(1);
    expect(after.sla.find((s) => s.category === 'complaint')?.tickets).toBe(1);
  });
});
