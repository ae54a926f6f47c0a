/*
 * npm run bench:shop [-- --orders 2000 --concurrency 8 --batch 500 --import 0 --store sqlite|postgresql]
 * Events per second applied by ShopIngest with the points ledger, on SQLite and PostgreSQL, each in a
 * fresh database: per order a customer.created, order.created, order.paid, order.shipped and
 * order.delivered (points earned). Two paths, each on its own orders:
 *  - single: one event a call (`apply`, what POST /api/shop/events does after the signature check),
 *    `concurrency` orders at a time, each order's events in order;
 *  - batch: `applyMany` of `batch` events at a time in the file's order (what POST /api/shop/events/batch
 *    and the import do after parsing).
 * With --import N it also writes N orders as a JSONL file and times `importShopEvents` on it (reading,
 * JSON and zod parsing included), with the RSS before and at most during the import (sampled).
 */
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EventLog } from '../../src/events/eventLog';
import { LoyaltyPolicy, PointsLedger } from '../../src/features/loyalty';
import { ShopIngest, type ShopEvent } from '../../src/features/shop';
import { importShopEvents } from '../../src/features/shop/importer';
import { openStore, type Provider } from '../../src/store/db';
import { createTestDatabase, PROVIDERS } from '../support/db';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '8' }, batch: { type: 'string', default: '500' }, import: { type: 'string', default: '0' }, store: { type: 'string' } } });
const ORDERS = Number(values.orders);
const CONCURRENCY = Number(values.concurrency);
const BATCH = Number(values.batch);
const IMPORT = Number(values.import);

/** Order i's events; its customer is one of `customers` (four orders each on average), so customers come back (updates, points adding up). */
function eventsOfOrder(i: number, customers = ORDERS / 4): ShopEvent[] {
  const number = `KF9${String(i).padStart(11, '0')}`;
  const customerId = `BENCH-${i % Math.max(1, Math.floor(customers))}`;
  const at = (h: number) => new Date(Date.UTC(2026, 10, 1) + i * 1000 + h * 3_600_000).toISOString();
  return [
    { id: `${number}-c`, type: 'customer.created', occurredAt: at(0), data: { customerId, name: `客户${i}` } },
    {
      id: `${number}-o`,
      type: 'order.created',
      occurredAt: at(0),
      data: { orderNumber: number, customerId, items: [{ sku: 'SKU-1', name: '商品', quantity: 1, unitPrice: 9900 + (i % 100) * 100 }], shippingFee: 0, discount: 0, total: 9900 + (i % 100) * 100, currency: 'CNY', shipping: { name: '收件人', phone: '13800000000', address: '上海市浦东新区世纪大道1号' } },
    },
    { id: `${number}-p`, type: 'order.paid', occurredAt: at(1), data: { orderNumber: number } },
    { id: `${number}-s`, type: 'order.shipped', occurredAt: at(20), data: { orderNumber: number, carrier: '顺丰速运', trackingNumber: `SF${i}` } },
    { id: `${number}-d`, type: 'order.delivered', occurredAt: at(60), data: { orderNumber: number } },
  ];
}

async function bench(provider: Provider): Promise<void> {
  const database = await createTestDatabase(provider, 'benchshop');
  const store = await openStore(database.url, { poolSize: 10 });
  try {
    const ledger = new PointsLedger(store.db, new EventLog(provider), new LoyaltyPolicy({ gold: 2000, diamond: 10000 }));
    const ingest = new ShopIngest(store, { delivered: (tx, orders, now) => ledger.earnForDeliveries(tx, orders, now) }, undefined, (err) => {
      throw err;
    });
    const report = (what: string, events: number, started: bigint) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      process.stdout.write(`${provider}: ${what}: ${events} events in ${seconds.toFixed(1)} s = ${Math.round(events / seconds)} events/s\n`);
    };
    let next = 0;
    let events = 0;
    let started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ORDERS) {
          const i = next++;
          for (const e of eventsOfOrder(i)) {
            await ingest.apply(e);
            events++;
          }
        }
      }),
    );
    report(`single events (${ORDERS} orders, ${CONCURRENCY} at a time)`, events, started);

    const all = Array.from({ length: ORDERS }, (_, i) => eventsOfOrder(ORDERS + i)).flat();
    started = process.hrtime.bigint();
    for (let at = 0; at < all.length; at += BATCH) {
      const results = await ingest.applyMany(all.slice(at, at + BATCH));
      const failed = results.find((r) => r instanceof Error);
      if (failed) throw failed;
    }
    report(`batches of ${BATCH} (${ORDERS} orders)`, all.length, started);

    if (IMPORT > 0) await benchImport(provider, ingest);
  } finally {
    await store.close();
    await database.drop();
  }
}

/** Writes IMPORT orders as a JSONL file (as a stream, waiting for the disk), then times the import of it, sampling the RSS while it runs. */
async function benchImport(provider: Provider, ingest: ShopIngest): Promise<void> {
  const file = path.join(os.tmpdir(), `kefu-bench-import-${process.pid}.jsonl`);
  const out = fs.createWriteStream(file);
  for (let i = 2 * ORDERS; i < 2 * ORDERS + IMPORT; i++) {
    const lines = eventsOfOrder(i, IMPORT / 4).map((e) => `${JSON.stringify(e)}\n`).join('');
    if (!out.write(lines)) await once(out, 'drain');
  }
  await new Promise((resolve) => out.end(resolve));
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const summary = await importShopEvents(file, ingest, { checkpointEvery: 10_000 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  const mib = (b: number) => Math.round(b / 1048576);
  process.stdout.write(
    `${provider}: import of ${IMPORT} orders (${summary.lines} events, ${mib(fs.statSync(file).size)} MiB file) in ${s.toFixed(1)} s = ${Math.round(summary.lines / s)} events/s, ` +
      `refused ${summary.refused}; CPU of this process ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; RSS ${mib(rssBefore)} MiB before, ${mib(peak)} MiB at most during the import; load after ${os.loadavg()[0]!.toFixed(2)}\n`,
  );
  fs.rmSync(file, { force: true });
}

async function main(): Promise<void> {
  process.stdout.write(`load before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} cores)\n`);
  for (const provider of PROVIDERS.filter((p) => !values.store || p === values.store)) await bench(provider);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
