import { Client } from 'pg';
import { migrate } from '../../src/store/migrate';
import { ReplyListener } from '../support/harness';
import { startKefu, type KefuProcess } from '../support/kefuProcess';
import { waitUntil } from '../support/wait';
import { FULL, PgCluster, TurnLoad } from './support';

let cluster: PgCluster | undefined;
let skipReason: string | undefined;

/**
 * PostgreSQL restarts (every connection ended, new ones refused, then back) while customers write, on
 * a cluster of the test's own. The bot process lives through it; messages it could not store are
 * answered honestly and, sent again once the database is back, stored once and answered.
 */
describe('a PostgreSQL restart under load', () => {
  const listener = new ReplyListener();
  let bot: KefuProcess | undefined;
  let url = '';
  let databaseUrl = '';
  beforeAll(async () => {
    const made = await PgCluster.create();
    if (typeof made === 'string') {
      skipReason = made;
      process.stdout.write(`chaos: PostgreSQL restart skipped: ${made}\n`);
      return;
    }
    cluster = made;
    const admin = new Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE kefu_chaos');
    await admin.end();
    databaseUrl = cluster.urlOf('kefu_chaos');
    await migrate(databaseUrl);
    await listener.start();
    bot = startKefu(
      {
        PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'info', DB_SEED_ON_START: 'false', BOT_SERVICE_URLS: 'http://127.0.0.1:*',
        RATE_LIMIT_MESSAGES_PER_MINUTE: '100000', TICKETS_SLA_WATCH_ENABLED: 'false',
      },
      { command: ['node', '--import', 'tsx', 'src/index.ts'] },
    );
    url = (JSON.parse(await bot.waitForLine((l) => l.includes('kefu is listening'), 90_000)) as { url: string }).url;
  }, 120_000);
  afterAll(async () => {
    if (bot && bot.child.exitCode === null) {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
    await listener.stop();
    cluster?.destroy();
  });

  test('when PostgreSQL restarts while customers write, then the bot keeps serving, says honestly what did not reach it, and every message sent again is stored once and answered', async () => {
    if (skipReason) return; // said in beforeAll
    const load = new TurnLoad(listener, () => url, FULL ? 16 : 6);
    load.start();
    for (let restart = 0; restart < (FULL ? 3 : 1); restart++) {
      const before = load.cleanCount;
      await waitUntil(() => load.cleanCount >= before + (FULL ? 150 : 30), 'turns answered with the database up', { timeoutMs: 60_000, everyMs: 5 });
      cluster!.stop('fast');
      const honest = () => listener.replies.filter((r) => /did not reach us/.test(r.activity.text ?? '')).length;
      const honestBefore = honest();
      await waitUntil(() => honest() >= honestBefore + 3, 'honest answers while the database is down', { timeoutMs: 30_000, everyMs: 5 });
      expect((await fetch(`${url}/readyz`)).status).toBe(503);
      cluster!.start();
      await waitUntil(async () => (await fetch(`${url}/readyz`)).status === 200, '/readyz 200 again', { timeoutMs: 30_000, everyMs: 50 });
    }
    const after = load.cleanCount;
    await waitUntil(() => load.cleanCount >= after + 20, 'turns answered after the restart', { timeoutMs: 60_000, everyMs: 5 });
    await load.stop();
    await load.settle();

    expect(load.unanswered()).toEqual([]);
    const { inbound, replied } = await load.stored(databaseUrl);
    expect([...load.sent.keys()].filter((id) => inbound.get(id) !== 1 || !replied.has(id)).map((id) => [id, inbound.get(id), replied.has(id), load.sent.get(id)!.statuses])).toEqual([]);
    const statuses = [...load.sent.values()].flatMap((s) => s.statuses);
    expect(statuses.filter((s) => typeof s === 'number' && s >= 500)).toEqual([]);
    expect(bot!.child.exitCode).toBeNull();
    expect(bot!.output()).not.toMatch(/uncaught exception|unhandled promise rejection|Unhandled 'error' event/);
    process.stdout.write(`chaos PostgreSQL restart: ${load.sent.size} messages, ${load.retriedCount} sent again, all stored once and answered\n`);
  }, 240_000);
});
