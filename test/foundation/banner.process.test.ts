import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKefu, type KefuProcess } from '../support/kefuProcess';

/** Outside the tests: the webchat's warnings about unset secrets are part of what a newcomer sees. */
const AS_A_NEWCOMER = { JEST_WORKER_ID: undefined, NODE_ENV: undefined, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NO_COLOR: '1' };
const STACK_FRAME = /^\s+at /m;

describe('npm start tells the newcomer where to go', () => {
  let dir: string;
  const running: number[] = [];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-banner-'));
  });
  afterAll(() => {
    for (const pid of running) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* stopped, as it should have */
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function stop(bot: KefuProcess, pid: number): Promise<void> {
    process.kill(pid, 'SIGTERM');
    await bot.exited;
  }

  test('when npm start runs in a terminal, then after readable log lines comes the banner: the shop page, the demo customers, how to create staff, where the data lives; no stack trace', async () => {
    const file = path.join(dir, 'terminal', 'kefu.db');
    // `script` gives npm start a terminal, as when a person types the command.
    const bot = startKefu(
      { ...AS_A_NEWCOMER, DATABASE_URL: `file:${file}`, WEBCHAT_UPLOAD_DIR: path.join(dir, 'terminal', 'uploads') },
      { command: ['script', '-qfec', 'npm start --silent', '/dev/null'] },
    );
    const listening = await bot.waitForLine((l) => /INFO \(\d+\): kefu is listening/.test(l));
    const pid = Number(/INFO \((\d+)\)/.exec(listening)![1]);
    running.push(pid);
    await bot.waitForLine((l) => l.startsWith('Stop: Ctrl-C'));
    const lines = bot.stdout().replace(/\r/g, '').split('\n');
    const ready = lines.findIndex((l) => l.startsWith('Kefu is ready at http://127.0.0.1:'));
    expect(ready).toBeGreaterThan(0);
    const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(lines[ready]!)![1]!;
    const banner = lines.slice(ready).join('\n');

    // Before it: log lines a person reads (time, level, message), no JSON objects, no stack trace.
    const logs = lines.slice(0, ready).filter((l) => l.trim());
    expect(logs.some((l) => /^\[\d\d:\d\d:\d\d\] INFO: demo shop loaded into an empty store, through the shop event path/.test(l))).toBe(true);
    expect(logs.filter((l) => l.startsWith('{'))).toEqual([]);
    expect(bot.output()).not.toMatch(STACK_FRAME);

    expect(banner).toMatch(new RegExp(`^ {2}Shop page and web chat +${url}/ `, 'm'));
    expect(banner).toContain(`${url}/api/tickets`);
    expect(banner).toMatch(/^ {2}C1001 {2}zh-CN {2}\S+: /m);
    expect(banner).toMatch(/^ {2}C1005 {2}en-US {2}\S+ \S+: /m);
    expect(banner).toContain('npm run agent:create -- --name');
    expect(banner).toContain(`Data: SQLite file ${file}`);
    expect(banner).toContain('DATABASE_URL=postgresql://');
    await stop(bot, pid);
  });

  test('when npm start writes to a pipe, then every line is JSON and the banner is one of them', async () => {
    const bot = startKefu({ ...AS_A_NEWCOMER, DATABASE_URL: `file:${path.join(dir, 'pipe', 'kefu.db')}`, WEBCHAT_UPLOAD_DIR: path.join(dir, 'pipe', 'uploads') });
    const listening = JSON.parse(await bot.waitForLine((l) => l.includes('"kefu is listening"'))) as { url: string; pid: number };
    running.push(listening.pid);
    const ready = JSON.parse(await bot.waitForLine((l) => l.includes('"kefu is ready"'))) as { banner: string[] };
    expect(ready.banner).toContain(`Kefu is ready at ${listening.url}`);
    expect(ready.banner.some((l) => l.includes(`${listening.url}/ `) && l.includes('Shop page'))).toBe(true);
    const printed = bot.stdout().split('\n').filter((l) => l.trim());
    expect(printed.filter((l) => !l.startsWith('{'))).toEqual([]);
    expect(bot.output()).not.toMatch(STACK_FRAME);
    await stop(bot, listening.pid);
  });
});
