import { PROVIDERS, createTestDatabase, type TestDatabase } from '../support/db';
import { ReplyListener } from '../support/harness';
import { startKefu, type KefuProcess } from '../support/kefuProcess';
import { waitUntil } from '../support/wait';
import { FULL, TurnLoad } from './support';

/**
 * kill -9 while customers write: every message the bot acknowledged (200 and its reply) is stored
 * once with its reply, and every message the channel retries after the restart (same activity id)
 * is answered, also those whose first turn died half-way.
 */
// In `npm test` on PostgreSQL only (two process starts take most of its time); both stores in `npm run test:chaos`.
describe.each(FULL ? PROVIDERS : (['postgresql'] as const))('kill -9 under load (%s)', (provider) => {
  let database: TestDatabase;
  const listener = new ReplyListener();
  const processes: KefuProcess[] = [];
  beforeAll(async () => {
    [database] = await Promise.all([createTestDatabase(provider, 'kill9'), listener.start()]);
  }, 60_000);
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await listener.stop();
    await database.drop();
  });

  async function start(): Promise<string> {
    const kefu = startKefu(
      {
        PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, LOG_LEVEL: 'info', DB_SEED_ON_START: 'false', BOT_SERVICE_URLS: 'http://127.0.0.1:*',
        RATE_LIMIT_MESSAGES_PER_MINUTE: '100000', TICKETS_SLA_WATCH_ENABLED: 'false',
      },
      // The bot itself, not npm: SIGKILL must hit the process that holds the turns.
      { command: ['node', '--import', 'tsx', 'src/index.ts'] },
    );
    processes.push(kefu);
    return (JSON.parse(await kefu.waitForLine((l) => l.includes('kefu is listening'), 90_000)) as { url: string }).url;
  }

  test('when the process is killed with turns in flight, then after a restart every acknowledged turn is stored with its reply and every retry is answered', async () => {
    let url = await start();
    const load = new TurnLoad(listener, () => url, FULL ? 24 : 8);
    load.start();
    await waitUntil(() => load.cleanCount >= (FULL ? 300 : 40), 'turns answered before the kill', { timeoutMs: 60_000, everyMs: 5 });
    processes[0].child.kill('SIGKILL');
    await processes[0].exited;
    const beforeRestart = load.cleanCount;
    url = await start();
    await waitUntil(() => load.cleanCount >= beforeRestart + (FULL ? 300 : 40), 'turns answered after the restart', { timeoutMs: 60_000, everyMs: 5 });
    await load.stop();
    await load.settle();

    expect(load.unanswered()).toEqual([]);
    const { inbound, replied } = await load.stored(database.url);
    const wrong = [...load.sent.keys()].filter((id) => inbound.get(id) !== 1 || !replied.has(id));
    expect(wrong).toEqual([]);
    expect(processes[1].child.exitCode).toBeNull();
    expect(processes[1].output()).not.toMatch(/uncaught exception|unhandled promise rejection|Unhandled 'error' event/);
    process.stdout.write(`chaos kill -9 (${provider}): ${load.sent.size} messages, ${load.retriedCount} sent again after the kill, all stored once and answered\n`);
  }, 240_000);
});
