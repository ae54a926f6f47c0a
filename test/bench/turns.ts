/**
 * bench:turns — drives the running bot over HTTP with 16 and 64 concurrent conversations and prints
 * turns/s and p50/p99 latency, replies both to a local serviceUrl listener and with expectReplies,
 * on SQLite and on PostgreSQL, next to a bare botbuilder bot (2-step waterfall on MemoryStorage)
 * measured in the same run, and the ratio. Each bot runs in its own process (one core), the load
 * and the reply listener in this one.
 *
 *   npm run bench:turns                      # ~7 minutes (5 cells x 3 bots x 2 rounds x 8 s, plus start-up)
 *   npm run bench:turns -- --seconds 5 --rounds 1   # quicker, noisier
 *   npm run bench:turns -- --compare /tmp/base     # also the Kefu of another checkout, same rounds (a before / after)
 *   npm run bench:turns -- --soak-minutes 10 [--soak-only] # then 10 minutes of load on SQLite: live heap (after GC) and RSS after 1 and 10 minutes
 *
 * Targets (issue 2): ratio >= 0.5 on SQLite, >= 0.4 on PostgreSQL, p99 < 100 ms at 16 conversations;
 * memory after 10 minutes of load no higher than after 1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';

const ROOT = path.resolve(__dirname, '../..');
const PG_ADMIN = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' };

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const SECONDS = arg('seconds', 8);
/** Each cell is measured this many times per bot, interleaved with the other bots (see measureAll). */
const ROUNDS = arg('rounds', 2);
const SOAK_MINUTES = arg('soak-minutes', 0);
/** --soak-only: skip the throughput table (with --soak-minutes). */
const SOAK_ONLY = process.argv.includes('--soak-only');
/**
 * --compare DIR: also run the Kefu of another checkout (e.g. `git worktree add /tmp/base <commit>`,
 * with its node_modules) side by side, measured in the same rounds: a before/after in one run.
 */
const COMPARE = process.argv.includes('--compare') ? process.argv[process.argv.indexOf('--compare') + 1] : undefined;
const CONCURRENCY = [16, 64];
/** The paced run: 16 conversations, each sending a turn every PACE_MS (a customer typing fast). */
const PACE_MS = arg('pace-ms', 1000);
type Mode = 'serviceUrl' | 'expectReplies';
const MODES: Mode[] = ['serviceUrl', 'expectReplies'];

let agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** The channel's connector endpoint: accepts the bot's replies. */
function startListener(): Promise<{ url: string; count: () => number; close: () => void }> {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"r"}');
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, count: () => received, close: () => server.close() }),
    ),
  );
}

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = http.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Counts the error lines (pino level 50 and 60) a bot writes to stdout: a turn that fails is still
 * answered (200, with the apology), so the HTTP status alone would not show it.
 */
function countLoggedErrors(child: ChildProcess): () => number {
  let errors = 0;
  let partial = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (/"level":(50|60)\b/.test(line)) errors++;
  });
  return () => errors;
}

/** Starts a bot in its own process on a free port and waits until it answers /healthz. */
async function startProcess(script: string, env: Record<string, string>, nodeArgs: string[] = [], cwd = ROOT): Promise<{ child: ChildProcess; url: string; loggedErrors: () => number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DB_SEED_ON_START: 'false', TICKETS_SLA_WATCH_ENABLED: 'false', RATE_LIMIT_MESSAGES_PER_MINUTE: '100000000', BOT_SERVICE_URLS: 'http://127.0.0.1:*', ...env },
    stdio: ['ignore', 'pipe', nodeArgs.length ? 'pipe' : 'inherit'],
  });
  const loggedErrors = countLoggedErrors(child);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`${script} exited with ${exited}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url, loggedErrors };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${script} did not start within 60 s`);
}

interface Cell {
  turnsPerSecond: number;
  p50: number;
  p99: number;
  /** The bot process's own CPU time per turn (user + system, µs): on a machine busy with other work, a fairer cost than turns/s. */
  cpuUsPerTurn: number;
  /** Answers with HTTP status >= 300 or no answer, plus the errors the bot logged meanwhile (failed turns). */
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Each worker is one conversation alternating the two turns of a 2-step exchange: as fast as the bot
 * answers (closed loop: measures capacity), or, with paceMs, one turn every paceMs like a customer
 * typing (measures the latency a customer sees while 16 conversations are going on).
 */
async function drive(botUrl: string, serviceUrl: string, concurrency: number, mode: Mode, seconds: number, tag: string, paceMs = 0): Promise<Cell & { turns: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = Date.now() + seconds * 1000;
  const worker = async (w: number) => {
    if (paceMs > 0) await new Promise((r) => setTimeout(r, (paceMs * w) / concurrency));
    const conversationId = `${tag}-${concurrency}-${mode}-${w}${paceMs ? '-paced' : ''}`;
    let n = 0;
    while (Date.now() < deadline) {
      const text = n % 2 === 0 ? 'language' : 'English';
      const body = JSON.stringify({
        type: 'message', id: `${conversationId}-${n}`, channelId: 'bench', serviceUrl, locale: 'en-US', text,
        conversation: { id: conversationId }, from: { id: `u-${conversationId}` }, recipient: { id: 'bot' },
        timestamp: new Date().toISOString(),
        ...(mode === 'expectReplies' ? { deliveryMode: 'expectReplies' } : {}),
      });
      const start = process.hrtime.bigint();
      try {
        const status = await post(`${botUrl}/api/messages`, body);
        if (status >= 300) errors++;
      } catch {
        errors++;
      }
      const took = Number(process.hrtime.bigint() - start) / 1e6;
      latencies.push(took);
      n++;
      if (paceMs > 0 && took < paceMs) await new Promise((r) => setTimeout(r, paceMs - took));
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { turnsPerSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors, cpuUsPerTurn: NaN, turns: latencies.length };
}

/** A process's CPU time so far (user + system), in µs, from /proc (clock ticks of 10 ms). */
function cpuUs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function withPgDatabase<T>(fn: (url: string) => Promise<T>, suffix = ''): Promise<T> {
  const name = `kefu_bench_${process.pid}${suffix ? `_${suffix}` : ''}`;
  const admin = new Client(PG_ADMIN);
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  try {
    return await fn(`postgresql://postgres@127.0.0.1:5432/${name}`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

interface RunningBot {
  label: string;
  child: ChildProcess;
  url: string;
  loggedErrors: () => number;
}

/** drive(), with the errors the bot logged during the cell added to the cell's errors, and the bot's CPU time per turn. */
async function driveCounted(bot: { url: string; loggedErrors: () => number; child: ChildProcess }, ...args: DriveArgs): Promise<Cell> {
  const before = bot.loggedErrors();
  const cpuBefore = cpuUs(bot.child.pid!);
  const { turns, ...cell } = await drive(bot.url, ...args);
  const cpu = cpuUs(bot.child.pid!) - cpuBefore;
  await new Promise((r) => setTimeout(r, 100)); // the last turns' log lines
  return { ...cell, errors: cell.errors + bot.loggedErrors() - before, cpuUsPerTurn: turns > 0 ? cpu / turns : NaN };
}
type DriveArgs = Parameters<typeof drive> extends [string, ...infer Rest] ? Rest : never;

async function startBot(label: string, script: string, env: Record<string, string>, listenerUrl: string, cwd = ROOT): Promise<RunningBot> {
  const { child, url, loggedErrors } = await startProcess(script, env, [], cwd);
  await drive(url, listenerUrl, 16, 'serviceUrl', 5, `${label}-warm`); // JIT (Kefu has far more code to optimize than the bare bot), caches, pools
  return { label, child, url, loggedErrors };
}

async function stopBot(bot: RunningBot): Promise<void> {
  bot.child.kill('SIGTERM');
  await new Promise((r) => bot.child.once('exit', r));
}

function mean(cells: Cell[]): Cell {
  const avg = (f: (c: Cell) => number) => cells.reduce((sum, c) => sum + f(c), 0) / cells.length;
  return {
    turnsPerSecond: avg((c) => c.turnsPerSecond),
    p50: avg((c) => c.p50),
    p99: avg((c) => c.p99),
    cpuUsPerTurn: avg((c) => c.cpuUsPerTurn),
    errors: cells.reduce((sum, c) => sum + c.errors, 0),
  };
}

/**
 * Every bot runs all the time; each cell is measured bot after bot (bare, SQLite, PostgreSQL), ROUNDS
 * times, and averaged: the 2-core machine's speed drifts by tens of percent over minutes, and
 * measuring one bot after the other in blocks put that drift into the ratios.
 */
async function measureAll(bots: RunningBot[], listenerUrl: string): Promise<Map<string, Map<string, Cell>>> {
  const samples = new Map<string, Map<string, Cell[]>>(bots.map((b) => [b.label, new Map()]));
  const keys: { key: string; concurrency: number; mode: Mode; paceMs: number }[] = [];
  for (const concurrency of CONCURRENCY) for (const mode of MODES) keys.push({ key: `${concurrency}/${mode}`, concurrency, mode, paceMs: 0 });
  keys.push({ key: 'paced', concurrency: 16, mode: 'serviceUrl', paceMs: PACE_MS });
  for (let round = 1; round <= ROUNDS; round++) {
    for (const { key, concurrency, mode, paceMs } of keys) {
      for (const bot of bots) {
        const cell = await driveCounted(bot, listenerUrl, concurrency, mode, SECONDS, `${bot.label}-r${round}${paceMs ? '-paced' : ''}`, paceMs);
        const list = samples.get(bot.label)!.get(key) ?? [];
        list.push(cell);
        samples.get(bot.label)!.set(key, list);
        process.stderr.write(
          `  round ${round} ${bot.label.padEnd(18)} ${key.padEnd(18)} ${cell.turnsPerSecond.toFixed(0).padStart(6)} turns/s  p50 ${cell.p50.toFixed(1)} ms  p99 ${cell.p99.toFixed(1)} ms  cpu ${cell.cpuUsPerTurn.toFixed(0)} µs/turn  errors ${cell.errors}\n`,
        );
        agent.destroy(); // a fresh keep-alive pool per bot and cell
        agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
      }
    }
  }
  return new Map([...samples].map(([label, cells]) => [label, new Map([...cells].map(([key, list]) => [key, mean(list)]))]));
}

/** Asks the bot (started with memoryProbe.cjs) to collect garbage and report its memory. */
function probeMemory(child: ChildProcess): Promise<{ rss: number; heapUsed: number }> {
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      const line = chunk.toString().split('\n').find((l) => l.startsWith('KEFU_MEMORY '));
      if (!line) return;
      child.stderr!.off('data', onData);
      const m = JSON.parse(line.slice('KEFU_MEMORY '.length)) as { rss: number; heapUsed: number };
      resolve({ rss: m.rss / 1048576, heapUsed: m.heapUsed / 1048576 });
    };
    child.stderr!.on('data', onData);
    child.kill('SIGUSR2');
  });
}

async function soak(listenerUrl: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-soak-'));
  const bot = await startProcess('src/index.ts', { DATABASE_URL: `file:${path.join(dir, 'kefu.db')}` }, [
    '--expose-gc',
    '--require',
    path.join(ROOT, 'test/bench/memoryProbe.cjs'),
  ]);
  const { child } = bot;
  let errors = 0;
  try {
    const samples: { minute: number; rss: number; heapUsed: number }[] = [];
    for (let minute = 1; minute <= SOAK_MINUTES; minute++) {
      // New conversations every minute, as real traffic brings: caches must stay bounded.
      const cell = await driveCounted(bot, listenerUrl, 16, minute % 2 ? 'serviceUrl' : 'expectReplies', 60, `soak-m${minute}`);
      errors += cell.errors;
      const m = await probeMemory(child);
      samples.push({ minute, ...m });
      process.stderr.write(
        `  soak minute ${minute}: ${cell.turnsPerSecond.toFixed(0)} turns/s, errors ${cell.errors}; heap after GC ${m.heapUsed.toFixed(1)} MiB, RSS ${m.rss.toFixed(1)} MiB (${rssMiB(child.pid!).toFixed(1)} MiB in /proc)\n`,
      );
    }
    const first = samples[0];
    const last = samples[samples.length - 1];
    const grew = last.heapUsed > first.heapUsed * 1.05;
    process.stdout.write(
      `\nMemory under load (SQLite, 16 conversations, new ones every minute): live heap after GC ${first.heapUsed.toFixed(1)} MiB after 1 min, ` +
        `${last.heapUsed.toFixed(1)} MiB after ${SOAK_MINUTES} min (${grew ? 'GREW' : 'no growth'}); RSS ${first.rss.toFixed(1)} -> ${last.rss.toFixed(1)} MiB; ` +
        `${errors === 0 ? 'no failed turns' : `${errors} FAILED TURNS`}\n`,
    );
  } finally {
    child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const listener = await startListener();
  if (SOAK_ONLY) {
    await soak(listener.url);
    listener.close();
    agent.destroy();
    return;
  }
  process.stderr.write(`bench:turns — ${SECONDS}s per cell, ${ROUNDS} rounds, ${os.cpus().length} cores, node ${process.version}\n`);
  const sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-bench-'));
  let results: Map<string, Map<string, Cell>> | undefined;
  await withPgDatabase(async (pgUrl) => {
    const bots: RunningBot[] = [];
    try {
      bots.push(await startBot('bare botbuilder', 'test/bench/bareBot.ts', {}, listener.url));
      bots.push(await startBot('kefu (SQLite)', 'src/index.ts', { DATABASE_URL: `file:${path.join(sqliteDir, 'kefu.db')}` }, listener.url));
      bots.push(await startBot('kefu (PostgreSQL)', 'src/index.ts', { DATABASE_URL: pgUrl }, listener.url));
      if (COMPARE) {
        await withPgDatabase(async (comparePgUrl) => {
          bots.push(await startBot('compared (SQLite)', 'src/index.ts', { DATABASE_URL: `file:${path.join(sqliteDir, 'compared.db')}` }, listener.url, COMPARE));
          bots.push(await startBot('compared (PostgreSQL)', 'src/index.ts', { DATABASE_URL: comparePgUrl }, listener.url, COMPARE));
          results = await measureAll(bots, listener.url);
        }, 'compare');
      } else {
        results = await measureAll(bots, listener.url);
      }
    } finally {
      agent.destroy();
      agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
      for (const bot of bots) await stopBot(bot);
    }
  });
  fs.rmSync(sqliteDir, { recursive: true, force: true });
  const bare = results!.get('bare botbuilder')!;
  const sqlite = results!.get('kefu (SQLite)')!;
  const postgres = results!.get('kefu (PostgreSQL)')!;
  const comparedSqlite = results!.get('compared (SQLite)');
  const comparedPostgres = results!.get('compared (PostgreSQL)');

  const rows: string[] = [];
  rows.push('| bot | conversations | replies | turns/s | p50 ms | p99 ms | ratio to bare | target |');
  rows.push('|---|---|---|---|---|---|---|---|');
  for (const concurrency of CONCURRENCY) {
    for (const mode of MODES) {
      const key = `${concurrency}/${mode}`;
      const base = bare.get(key)!;
      for (const [label, cells, target] of [
        ['bare botbuilder', bare, undefined],
        ['kefu SQLite', sqlite, 0.5],
        ['kefu PostgreSQL', postgres, 0.4],
      ] as const) {
        const c = cells.get(key)!;
        const ratio = c.turnsPerSecond / base.turnsPerSecond;
        const p99ok = concurrency !== 16 || c.p99 < 100;
        const verdict = target === undefined ? '' : `${ratio >= target ? 'ok' : 'MISS'} (>= ${target}${concurrency === 16 ? `, p99 ${p99ok ? 'ok' : 'MISS'} < 100 ms` : ''})`;
        rows.push(`| ${label} | ${concurrency} | ${mode} | ${c.turnsPerSecond.toFixed(0)} | ${c.p50.toFixed(1)} | ${c.p99.toFixed(1)} | ${target === undefined ? '1.00' : ratio.toFixed(2)} | ${verdict} |`);
      }
    }
  }
  rows.push('');
  rows.push(`Latency a customer sees while 16 conversations each send a turn every ${PACE_MS} ms (serviceUrl replies; target p99 < 100 ms):`);
  rows.push('| bot | turns/s | p50 ms | p99 ms | target |');
  rows.push('|---|---|---|---|---|');
  for (const [label, cells] of [['bare botbuilder', bare], ['kefu SQLite', sqlite], ['kefu PostgreSQL', postgres]] as const) {
    const c = cells.get('paced')!;
    rows.push(`| ${label} | ${c.turnsPerSecond.toFixed(0)} | ${c.p50.toFixed(1)} | ${c.p99.toFixed(1)} | ${c.p99 < 100 ? 'ok' : 'MISS'} |`);
  }
  rows.push('');
  rows.push('CPU time of the bot process per turn (µs; PostgreSQL: the server\'s own CPU not included), and bare / Kefu: the throughput ratio an');
  rows.push('otherwise idle machine would show where the bot\'s core is the bottleneck (a fairer figure than turns/s while other work shares the cores):');
  rows.push('| conversations | replies | bare µs | SQLite µs | ratio | PostgreSQL µs | ratio |');
  rows.push('|---|---|---|---|---|---|---|');
  for (const concurrency of CONCURRENCY) {
    for (const mode of MODES) {
      const key = `${concurrency}/${mode}`;
      const [b, s, p] = [bare, sqlite, postgres].map((cells) => cells.get(key)!.cpuUsPerTurn);
      rows.push(`| ${concurrency} | ${mode} | ${b.toFixed(0)} | ${s.toFixed(0)} | ${(b / s).toFixed(2)} | ${p.toFixed(0)} | ${(b / p).toFixed(2)} |`);
    }
  }
  if (comparedSqlite && comparedPostgres) {
    rows.push('');
    rows.push(`The compared checkout (${COMPARE}), same rounds: turns/s and ratio to bare; CPU µs per turn and bare / it:`);
    rows.push('| conversations | replies | SQLite turns/s | ratio | µs | CPU ratio | PostgreSQL turns/s | ratio | µs | CPU ratio |');
    rows.push('|---|---|---|---|---|---|---|---|---|---|');
    for (const concurrency of CONCURRENCY) {
      for (const mode of MODES) {
        const key = `${concurrency}/${mode}`;
        const base = bare.get(key)!;
        const cols = [comparedSqlite, comparedPostgres].map((cells) => {
          const c = cells.get(key)!;
          return `${c.turnsPerSecond.toFixed(0)} | ${(c.turnsPerSecond / base.turnsPerSecond).toFixed(2)} | ${c.cpuUsPerTurn.toFixed(0)} | ${(base.cpuUsPerTurn / c.cpuUsPerTurn).toFixed(2)}`;
        });
        rows.push(`| ${concurrency} | ${mode} | ${cols.join(' | ')} |`);
      }
    }
  }
  const failures = [['bare botbuilder', bare], ['kefu SQLite', sqlite], ['kefu PostgreSQL', postgres]] as const;
  const failed = failures.map(([label, cells]) => [label, [...cells.values()].reduce((sum, c) => sum + c.errors, 0)] as const).filter(([, n]) => n > 0);
  rows.push('');
  rows.push(`Errors (HTTP status >= 300, no answer, or an error the bot logged): ${failed.length ? failed.map(([label, n]) => `${label} ${n}`).join(', ') : 'none'}`);
  process.stdout.write(`\n${rows.join('\n')}\n`);
  if (SOAK_MINUTES > 0) await soak(listener.url);
  listener.close();
  agent.destroy();
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:turns failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
