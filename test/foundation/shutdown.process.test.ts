import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../src/store/db';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { ReplyListener } from '../support/harness';
import { waitUntil } from '../support/wait';

const ROOT = path.resolve(__dirname, '../..');

/** What a started bot process offers the test: its URL and pid, and a wait for a line of its log. */
interface BotProcess {
  child: ChildProcess;
  url: string;
  pid: number;
  logged(message: string): Promise<void>;
}

/** Runs `npm start`, as the README says; resolves once the bot listens. */
function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DB_SEED_ON_START: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  // Waits for a line of the log (the bot writes JSON lines to stdout).
  const waiters: { message: string; resolve: () => void }[] = [];
  const logged = (message: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.includes(message)) return resolve();
      waiters.push({ message, resolve });
      setTimeout(() => reject(new Error(`the bot did not log "${message}": ${out}`)), 10_000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const w of waiters.filter((x) => out.includes(x.message))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const line = out.split('\n').find((l) => l.includes('kefu is listening'));
      if (line) {
        clearTimeout(timer);
        const { url, pid } = JSON.parse(line) as { url: string; pid: number };
        resolve({ child, url, pid, logged });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`bot exited with ${code}: ${out}`)));
  });
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

  test('when SIGTERM arrives during a turn while the bot is busy, then the turn finishes, its transcript is stored, and the process exits 0', async () => {
    const { child, url, pid, logged } = await startBotProcess({ DATABASE_URL: database.url });
    started.push(pid);
    // npm runs the bot itself (exec): no shell or runner in between that could die on the signal and
    // leave the bot behind, or kill a bot slow to acknowledge it (as the tsx command-line runner did).
    expect(procStatus(pid, 15).parent).toBe(child.pid);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
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
    // The bot's event loop cannot answer (stopped here; a long GC or a busy turn in life) when SIGTERM
    // reaches npm: npm must still pass it on, and the bot must take it once it runs again.
    process.kill(pid, 'SIGSTOP');
    child.kill('SIGTERM');
    await waitUntil(() => procStatus(pid, 15).pending, 'SIGTERM pending at the stopped bot');
    process.kill(pid, 'SIGCONT');
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
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'not-a-port', DATABASE_URL: database.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(78);
    expect(err).toContain('PORT');
  });
});
