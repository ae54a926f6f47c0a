import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startApp } from '../../src/app';
import { StartError } from '../../src/startup/startErrors';
import { createTestDatabase, PG_ADMIN_URL, type TestDatabase } from '../support/db';
import { testConfig } from '../support/harness';
import { ROOT, startKefu } from '../support/kefuProcess';

/** A port something listens on (the test's own server), and a way to free it. */
async function takePort(): Promise<{ port: number; release(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A port nothing listens on: taken, then freed. */
async function closedPort(): Promise<number> {
  const taken = await takePort();
  await taken.release();
  return taken.port;
}

const STACK_FRAME = /^\s+at /m;

describe('a start that cannot succeed says why in one line', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite', 'starterrors');
  });
  afterAll(async () => {
    await database.drop();
  });

  test('when the port is taken, then npm start names the port and exits 69, without a stack trace', async () => {
    const taken = await takePort();
    try {
      const bot = startKefu({ PORT: String(taken.port), HOST: '127.0.0.1', DATABASE_URL: database.url, DB_SEED_ON_START: 'false', LOG_LEVEL: 'warn' });
      expect(await bot.exited).toBe(69);
      expect(bot.stderr()).toContain(`kefu: port ${taken.port} is already in use on 127.0.0.1`);
      expect(bot.stderr()).toContain('PORT=');
      expect(bot.output()).not.toMatch(STACK_FRAME);
    } finally {
      await taken.release();
    }
  });

  test('when PostgreSQL does not answer for DB_START_WAIT_SECONDS, then npm start says it waits, then names its host and port and exits 69, without a stack trace', async () => {
    const port = await closedPort();
    const bot = startKefu({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `postgresql://postgres:s3cret-pw@127.0.0.1:${port}/kefu`, LOG_LEVEL: 'warn', DB_START_WAIT_SECONDS: '2' });
    expect(await bot.exited).toBe(69);
    expect(bot.stdout()).toContain('waiting for the database');
    expect(bot.stderr()).toContain(`kefu: cannot reach PostgreSQL at 127.0.0.1:${port}`);
    expect(bot.stderr()).toContain('DB_START_WAIT_SECONDS');
    expect(bot.output()).not.toMatch(STACK_FRAME);
    expect(bot.output()).not.toContain('s3cret-pw');
  });

  test('when the PostgreSQL database does not exist, then npm start says how to create it and exits 78', async () => {
    const url = new URL(PG_ADMIN_URL);
    url.pathname = '/kefu_no_such_database_here';
    const bot = startKefu({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' });
    expect(await bot.exited).toBe(78);
    expect(bot.stderr()).toContain('has no database "kefu_no_such_database_here"');
    expect(bot.stderr()).toContain('createdb');
    expect(bot.output()).not.toMatch(STACK_FRAME);
  });

  test('when a value in .env is invalid, then npm start names the variable and exits 78, without a stack trace', async () => {
    // A working directory of its own with a .env file, as a newcomer's copy of .env.example would be.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-env-'));
    try {
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
      fs.writeFileSync(path.join(dir, '.env'), `DATABASE_URL=${database.url}\nTIMEZONE=Mars/Olympus_Mons\n`);
      const bot = startKefu({}, { cwd: dir, command: [process.execPath, '--import', 'tsx', path.join(ROOT, 'src/index.ts')] });
      expect(await bot.exited).toBe(78);
      expect(bot.stderr()).toContain('TIMEZONE');
      expect(bot.stderr()).toContain('.env.example');
      expect(bot.output()).not.toMatch(STACK_FRAME);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('when startApp cannot listen, then it rejects with a StartError (exit code 69)', async () => {
    const taken = await takePort();
    try {
      const config = testConfig(database.url, { PORT: String(taken.port), HOST: '127.0.0.1' });
      const failed = await startApp(config).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failed).toBeInstanceOf(StartError);
      expect((failed as StartError).exitCode).toBe(69);
    } finally {
      await taken.release();
    }
  });
});
