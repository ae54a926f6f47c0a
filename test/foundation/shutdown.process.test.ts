import fs from 'node:fs';
import { openStore } from '../../src/store/db';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { ReplyListener } from '../support/harness';
import { startKefu } from '../support/kefuProcess';

/** Runs `npm start`, as the README says; resolves once the bot listens, with its URL, its pid and a wait for a line of its log. */
async function startBotProcess(env: Record<string, string>) {
  const bot = startKefu({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DB_SEED_ON_START: 'false', BOT_SERVICE_URLS: 'http://127.0.0.1:*', ...env });
  const line = await bot.waitForLine((l) => l.includes('kefu is listening'));
  const { url, pid } = JSON.parse(line) as { url: string; pid: number };
  const logged = async (message: string) => void (await bot.waitForLine((l) => l.includes(message), 10_000));
  return { child: bot.child, exited: bot.exited, url, pid, logged };
}

/** A process's parent pid and whether `signal` (a number) is pending for it, from /proc (Linux). */
function procStatus(pid: number, signal: number): { parent: number; pending: boolean } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(status)?.[1] ?? '0';
  const bit = 1n << BigInt(signal - 1);
  const pending = ['SigPnd', 'ShdPnd'].some((name) => (BigInt(`0x${field(name)}`) & bit) !== 0n);
  return { parent: Number(field('PPid')), pending };
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
    listener.release();
    await listener.stop();
    await database.drop();
  });

  test('when SIGTERM reaches npm during a turn, then the bot gets it, the turn finishes, its transcript is stored, and the process exits 0', async () => {
    const { child, exited, url, pid, logged } = await startBotProcess({ DATABASE_URL: database.url });
    started.push(pid);
    // npm runs the bot itself (exec): no shell or runner in between that could die on the signal and
    // leave the bot behind, or kill a bot slow to acknowledge it (as the tsx command-line runner did).
    expect(procStatus(pid, 15).parent).toBe(child.pid);
    listener.hold(); // the channel does not answer the replies yet: the turn stays in flight
    const turn = fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message', id: 'sigterm-1', channelId: 'test', serviceUrl: listener.url, locale: 'en-US', text: 'hello',
        conversation: { id: 'c-sigterm' }, from: { id: 'u-sigterm' }, recipient: { id: 'bot' },
      }),
    });
    await listener.waitForArrivals(1); // the bot is sending its first reply: the turn is in flight
    // SIGTERM reaches npm, as a process manager or Ctrl-C would send it: npm passes it on to the bot.
    child.kill('SIGTERM');
    await logged('shutting down: finishing in-flight turns');
    listener.release(); // the channel accepts the replies: the in-flight turn can finish
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
