import { openStore } from '../../src/store/db';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { ReplyListener } from '../support/harness';
import { startKefu } from '../support/kefuProcess';

/** Runs `npm start`, as the README says; resolves with the bot's URL and the pid of its node process. */
async function startBotProcess(env: Record<string, string>) {
  const bot = startKefu({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DB_SEED_ON_START: 'false', ...env });
  const line = await bot.waitForLine((l) => l.includes('kefu is listening'));
  const { url, pid } = JSON.parse(line) as { url: string; pid: number };
  return { child: bot.child, exited: bot.exited, url, pid };
}

describe('npm start as a process', () => {
  let database: TestDatabase;
  const listener = new ReplyListener();
  beforeAll(async () => {
    database = await createTestDatabase('sqlite', 'shutdown');
    await listener.start();
  });
  const started: number[] = [];
  afterAll(async () => {
    for (const pid of started) {
      try {
        process.kill(pid, 'SIGKILL'); // a bot left behind by a failed test would keep jest waiting
      } catch {
        /* exited, as it should have */
      }
    }
    await listener.stop();
    await database.drop();
  });

  test('when SIGTERM arrives during a turn while the bot is busy, then the turn finishes, its transcript is stored, and the process exits 0', async () => {
    const { child, exited, url, pid } = await startBotProcess({ DATABASE_URL: database.url });
    started.push(pid);
    listener.delayMs = 800; // each reply takes 0.8 s to be accepted: the turn is in flight when SIGTERM lands
    const turn = fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message', id: 'sigterm-1', channelId: 'test', serviceUrl: listener.url, locale: 'en-US', text: 'hello',
        conversation: { id: 'c-sigterm' }, from: { id: 'u-sigterm' }, recipient: { id: 'bot' },
      }),
    });
    await listener.waitForArrivals(1); // the bot is sending its first reply: the turn is in flight
    // The bot's event loop cannot answer for a while (stopped here; a long GC or a busy turn in life)
    // when SIGTERM reaches npm: it must still get the signal and finish (npm used to leave it behind,
    // and the tsx CLI killed a child that did not acknowledge a signal within 60 ms).
    process.kill(pid, 'SIGSTOP');
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    process.kill(pid, 'SIGCONT');
    const res = await turn;
    expect(res.status).toBe(200);
    expect(await exited).toBe(0);
    expect(listener.for('c-sigterm')).toHaveLength(3);

    const store = await openStore(database.url);
    try {
      expect(await store.db.message.count({ where: { direction: 'OUTBOUND' } })).toBe(3);
      expect(await store.db.message.count({ where: { direction: 'INBOUND', activityId: 'sigterm-1' } })).toBe(1);
    } finally {
      await store.close();
    }
  });

  test('when a variable is invalid, then the process stops at start-up naming it', async () => {
    const bot = startKefu({ PORT: 'not-a-port', DATABASE_URL: database.url });
    expect(await bot.exited).toBe(78);
    expect(bot.stderr()).toContain('PORT');
  });
});
