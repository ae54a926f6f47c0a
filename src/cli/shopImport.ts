import fs from 'node:fs';
import { loadConfig } from '../config/config';
import { EventLog } from '../events/eventLog';
import { LoyaltyPolicy, PointsLedger } from '../features/loyalty';
import { ShopIngest } from '../features/shop';
import { importShopEvents } from '../features/shop/importer';
import { cipherFromConfig } from '../features/privacy/config';
import { openStore } from '../store/db';
import { migrate } from '../store/migrate';

const USAGE = `usage: npm run shop:import -- events.jsonl [more.jsonl ...]
Loads the shop's customers and orders (one event per line, the format of POST /api/shop/events: see
README, "For shop developers") into DATABASE_URL. Interrupted? Run it again: it goes on where it stopped.`;

/** `npm run shop:import -- customers.jsonl orders.jsonl` */
async function main(): Promise<void> {
  const files = process.argv.slice(2).filter((a) => a !== '--');
  if (files.length === 0 || files.includes('--help')) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(files.includes('--help') ? 0 : 2);
  }
  for (const f of files) {
    if (!fs.existsSync(f)) {
      process.stderr.write(`kefu: ${f} does not exist\n`);
      process.exit(66);
    }
  }
  const config = loadConfig();
  if (config.DB_MIGRATE_ON_START) await migrate(config.DATABASE_URL);
  const store = await openStore(config.DATABASE_URL, { cipher: cipherFromConfig(config) });
  // Points are earned as in the running bot; tier changes are recorded, customers are not messaged for history.
  const ledger = new PointsLedger(store.db, new EventLog(store.provider), new LoyaltyPolicy({ gold: config.LOYALTY_GOLD_POINTS, diamond: config.LOYALTY_DIAMOND_POINTS }));
  const ingest = new ShopIngest(store, {
    delivered: (tx, orders, now) => ledger.earnForDeliveries(tx, orders, now),
    refunded: (tx, order, amount, eventId, now) => ledger.reverseForRefund(tx, order, amount, eventId, now),
  });
  let failed = false;
  try {
    for (const file of files) {
      const total = fs.statSync(file).size;
      const started = Date.now();
      const summary = await importShopEvents(file, ingest, {
        progress: (done) => {
          const rate = Math.round((done * 1000) / Math.max(1, Date.now() - started));
          if (process.stderr.isTTY) process.stderr.write(`\r${file}: line ${done} (${rate}/s) of a ${Math.round(total / 1024)} KiB file`);
        },
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      const o = summary.outcomes;
      process.stdout.write(`${file}: ${summary.lines} lines${summary.resumedFrom ? ` (resumed after line ${summary.resumedFrom})` : ''}; applied ${o.applied}, already applied ${o.duplicate}, outdated ${o.outdated}, refused ${summary.refused} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      for (const r of summary.reasons) process.stdout.write(`  refused ${r.count}× ${r.reason} (lines ${r.lines.join(', ')}${r.count > r.lines.length ? ', ...' : ''})\n`);
      if (summary.refused) failed = true;
    }
  } finally {
    await store.close();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err: unknown) => {
  process.stderr.write(`kefu: shop import failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
