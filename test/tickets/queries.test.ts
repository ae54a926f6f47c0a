import type { Store } from '../../src/store/db';
import { listTickets } from '../../src/features/tickets/queries';
import { openTestStore, PROVIDERS } from '../support/db';
import { customerWithConversation } from './support';

describe.each(PROVIDERS)('ticket lists on %s', (provider) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const t = await openTestStore(provider, 'ticketlists');
    store = t.store;
    close = t.close;
  });
  afterAll(() => close());

  it('when paging by due time, then tickets with a deadline come soonest first, then those without, newest first, with no gaps or repeats', async () => {
    const { customer } = await customerWithConversation(store.db);
    const base = Date.UTC(2026, 10, 26, 2);
    const make = (n: string, dueH: number | null, createdH: number) =>
      store.db.ticket.create({
        data: { number: n, customerId: customer.id, category: 'other', summary: n, dueAt: dueH === null ? null : new Date(base + dueH * 3_600_000), createdAt: new Date(base + createdH * 3_600_000) },
      });
    // Created out of order on purpose.
    await make('T209901010005', 50, 1);
    await make('T209901010001', 10, 5);
    await make('T209901010007', null, 3);
    await make('T209901010003', 30, 2);
    await make('T209901010006', null, 9);
    await make('T209901010002', 20, 4);
    await make('T209901010008', null, 0);
    await make('T209901010004', 40, 8);

    const pages = [];
    for (let page = 1; page <= 3; page++) pages.push(await listTickets(store.db, { customerId: customer.id, limit: 3, page }, new Date(base)));
    expect(pages.map((p) => [p.items.map((t) => t.number.slice(-1)).join(''), p.hasMore])).toEqual([
      ['123', true],
      ['456', true],
      ['78', false],
    ]);
    const beyond = await listTickets(store.db, { customerId: customer.id, limit: 3, page: 4 }, new Date(base));
    expect([beyond.items.length, beyond.hasMore]).toEqual([0, false]);
  });
});
