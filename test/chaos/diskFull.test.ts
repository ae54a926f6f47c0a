import { TestBot } from '../support/harness';
import { waitUntil } from '../support/wait';
import { FULL, TurnLoad } from './support';

/**
 * The SQLite store's disk fills up while customers write. The store is held at its current size with
 * SQLite's max_page_count (the same SQLITE_FULL "database or disk is full" a full disk gives, on any
 * machine and without mounting anything), then given room again. The bot answers honestly while it
 * cannot write, keeps serving, and stores and answers every message sent again once there is room.
 */
describe('a full disk under the SQLite store', () => {
  const bot = new TestBot('sqlite', { RATE_LIMIT_MESSAGES_PER_MINUTE: '100000' });
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  const pragma = async (sql: string) => (await bot.app.store.db.$queryRawUnsafe<Record<string, unknown>[]>(sql))[0];

  test('when the store cannot grow, then the bot says what did not reach it, keeps serving, and once there is room every message sent again is stored once and answered', async () => {
    const load = new TurnLoad(bot.listener, () => bot.app.url, FULL ? 12 : 4);
    load.start();
    await waitUntil(() => load.cleanCount >= (FULL ? 100 : 20), 'turns answered before the disk fills', { timeoutMs: 60_000, everyMs: 5 });

    const pages = Number(Object.values((await pragma('PRAGMA page_count'))!)[0]);
    await pragma(`PRAGMA max_page_count = ${pages}`);
    const honest = () => bot.listener.replies.filter((r) => /did not reach us|something went wrong/.test(r.activity.text ?? '')).length;
    await waitUntil(() => honest() >= 5, 'honest answers while the store is full', { timeoutMs: 60_000, everyMs: 5 });
    expect((await fetch(`${bot.app.url}/healthz`)).status).toBe(200);
    const whileFull = load.cleanCount;

    await pragma('PRAGMA max_page_count = 1073741823');
    await waitUntil(() => load.cleanCount >= whileFull + 20, 'turns answered once there is room', { timeoutMs: 60_000, everyMs: 5 });
    await load.stop();
    await load.settle();

    expect(load.unanswered()).toEqual([]);
    const { inbound, replied } = await load.stored(bot.database.url);
    expect([...load.sent.keys()].filter((id) => inbound.get(id) !== 1 || !replied.has(id))).toEqual([]);
    expect([...load.sent.values()].flatMap((s) => s.statuses).filter((s) => typeof s === 'number' && s >= 500)).toEqual([]);
    process.stdout.write(`chaos disk full (SQLite): ${load.sent.size} messages, ${load.retriedCount} sent again, all stored once and answered\n`);
  }, 180_000);
});
