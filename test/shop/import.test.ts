import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventLog } from '../../src/events/eventLog';
import { LoyaltyPolicy, PointsLedger } from '../../src/features/loyalty';
import { ShopIngest } from '../../src/features/shop';
import { importShopEvents } from '../../src/features/shop/importer';
import { openTestStore, PROVIDERS } from '../support/db';
import { newOrder } from './support';

describe.each(PROVIDERS)('npm run shop:import (%s store)', (provider) => {
  let t: Awaited<ReturnType<typeof openTestStore>>;
  let ingest: ShopIngest;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-import-'));
  beforeAll(async () => {
    t = await openTestStore(provider, 'import');
    const ledger = new PointsLedger(t.store.db, new EventLog(provider), new LoyaltyPolicy({ gold: 2000, diamond: 10000 }));
    ingest = new ShopIngest(t.store, { delivered: (tx, orders, now) => ledger.earnForDeliveries(tx, orders, now) }, undefined, (err) => { throw err; });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const line = (id: string, type: string, data: unknown, occurredAt = '2026-11-20T01:00:00Z') => JSON.stringify({ id, type, occurredAt, data });
  const lines = [
    line('i-1', 'customer.created', { customerId: 'S-4001', name: '周杰' }),
    line('i-2', 'order.created', newOrder('KF400000000001', 'S-4001')),
    line('i-3', 'order.delivered', { orderNumber: 'KF400000000001' }, '2026-11-22T01:00:00Z'),
    '{not json',
    line('i-5', 'order.paid', { orderNumber: 'KF400000000099' }),
    line('i-6', 'order.created', newOrder('KF400000000002', 'S-4002')),
    line('i-7', 'order.paid', { orderNumber: 'KF400000000098' }),
    line('i-8', 'order.teleported', {}),
  ];

  it('when a file with good and bad lines is imported, then the good ones are applied and the summary says what was refused and why', async () => {
    const file = path.join(dir, 'orders.jsonl');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const summary = await importShopEvents(file, ingest, { checkpointEvery: 2, batchSize: 2 });
    expect(summary).toMatchObject({ lines: 8, resumedFrom: 0, outcomes: { applied: 4, duplicate: 0, outdated: 0 }, refused: 4 });
    expect(summary.reasons).toEqual([
      { reason: 'Order N is not known: send its order.created event first', count: 2, lines: [5, 7] },
      { reason: 'not valid JSON', count: 1, lines: [4] },
      { reason: 'unknown event type "order.teleported"', count: 1, lines: [8] },
    ]);
    expect(await t.store.db.order.count()).toBe(2);
    const customer = await t.store.db.customer.findUniqueOrThrow({ where: { externalId: 'S-4001' } });
    expect(customer.points).toBe(457);
    expect(fs.existsSync(`${file}.progress`)).toBe(false);
  });

  it('when an interrupted import is run again, then it goes on after the last checkpoint, and events seen anyway are applied once', async () => {
    const file = path.join(dir, 'resume.jsonl');
    const more = [line('j-1', 'customer.created', { customerId: 'S-4100' }), line('j-2', 'customer.created', { customerId: 'S-4101' }), line('j-3', 'customer.created', { customerId: 'S-4102' })];
    fs.writeFileSync(file, more.join('\n') + '\n');
    // The first run applied j-1 and j-2, wrote its checkpoint after line 1, then died.
    await ingest.apply(JSON.parse(more[0]!));
    await ingest.apply(JSON.parse(more[1]!));
    fs.writeFileSync(`${file}.progress`, '1');
    const summary = await importShopEvents(file, ingest);
    expect(summary).toMatchObject({ lines: 3, resumedFrom: 1, outcomes: { applied: 1, duplicate: 1 }, refused: 0 });
    expect(await t.store.db.customer.count({ where: { externalId: { in: ['S-4100', 'S-4101', 'S-4102'] } } })).toBe(3);
  });
});
