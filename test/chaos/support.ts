import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/db';
import type { ReplyListener } from '../support/harness';

/** `npm run test:chaos` sets KEFU_CHAOS=full: more load, more requests. In `npm test` the same tests run smaller. */
export const FULL = process.env.KEFU_CHAOS === 'full';

/** The bot's two apologies (en-US): a turn that failed, a message that was not received. */
const MESSAGES = JSON.parse(fs.readFileSync(path.join(__dirname, '../../locales/en-US/messages.json'), 'utf8')) as { errors: { turn: string; notReceived: string } };
const APOLOGIES = new Set([MESSAGES.errors.turn, MESSAGES.errors.notReceived]);

/**
 * How long the simulated channel waits before it sends an unanswered activity again (a channel's
 * retry interval, as Bot Framework channels do it), and between the rounds of settle(). These pauses
 * are the load's behaviour, not waits for a condition: the assertions read the store afterwards.
 */
const CHANNEL_RETRY_MS = 100;
const SETTLE_ROUND_MS = 250;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sent {
  body: Record<string, unknown>;
  /** Answered 200 with a real reply (not an apology): acknowledged, must be stored with its reply. */
  clean: boolean;
  statuses: (number | string)[];
}

/**
 * A Bot Framework channel with `conversations` customers each writing one message after another for
 * as long as it runs, to the bot at `url()` (which may change: a restarted process). Each message is
 * "clean" once answered 200 with a reply that is not an apology; anything else (a refused
 * connection, a 5xx, "your message did not reach us") is sent again, same activity id, by settle(),
 * as a channel retries.
 */
export class TurnLoad {
  readonly sent = new Map<string, Sent>();
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly tag = crypto.randomBytes(3).toString('hex');

  constructor(
    private readonly listener: ReplyListener,
    private readonly url: () => string,
    private readonly conversations: number,
  ) {}

  get cleanCount(): number {
    return [...this.sent.values()].filter((s) => s.clean).length;
  }

  /** Messages that needed more than one try. */
  get retriedCount(): number {
    return [...this.sent.values()].filter((s) => s.statuses.length > 1).length;
  }

  /** The messages not answered yet, with what each try got (a test failure says why). */
  unanswered(): [string, (number | string)[]][] {
    return [...this.sent].filter(([, s]) => !s.clean).map(([id, s]) => [id, s.statuses]);
  }

  get failedCount(): number {
    return [...this.sent.values()].filter((s) => !s.clean).length;
  }

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.conversations }, (_, c) => this.loop(c));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Sends every message that is not clean again (same id) until each is, or `attempts` rounds passed. */
  async settle(attempts = 20): Promise<void> {
    for (let round = 0; round < attempts && this.failedCount > 0; round++) {
      for (const [id, sent] of this.sent) if (!sent.clean) await this.send(id, sent);
      if (this.failedCount > 0) await pause(SETTLE_ROUND_MS);
    }
  }

  /** What the store holds for the messages sent: how many inbound rows per activity id, and which have a stored reply. */
  async stored(databaseUrl: string): Promise<{ inbound: Map<string, number>; replied: Set<string> }> {
    const store = await openStore(databaseUrl, { poolSize: 2 });
    try {
      const mine = `chaos-${this.tag}-`;
      const inbound = new Map<string, number>();
      for (const m of await store.db.message.findMany({ where: { direction: 'INBOUND', activityId: { startsWith: mine } }, select: { activityId: true } })) {
        inbound.set(m.activityId!, (inbound.get(m.activityId!) ?? 0) + 1);
      }
      const replies = await store.db.message.findMany({ where: { direction: 'OUTBOUND', replyToId: { startsWith: mine } }, select: { replyToId: true } });
      return { inbound, replied: new Set(replies.map((r) => r.replyToId!)) };
    } finally {
      await store.close();
    }
  }

  private async loop(c: number): Promise<void> {
    let n = 0;
    while (this.running) {
      const id = `chaos-${this.tag}-${c}-${n++}`;
      const body = {
        type: 'message', id, channelId: 'test', serviceUrl: this.listener.url, locale: 'en-US', text: n % 2 ? 'hello' : 'what can you do',
        conversation: { id: `chaos-${this.tag}-c${c}` }, from: { id: `chaos-u${c}` }, recipient: { id: 'kefu-bot' }, timestamp: new Date().toISOString(),
      };
      const sent: Sent = { body, clean: false, statuses: [] };
      this.sent.set(id, sent);
      await this.send(id, sent);
      // As a channel does: the same activity again, until it is answered (settle() finishes what is left at stop()).
      while (!sent.clean && this.running) {
        await pause(CHANNEL_RETRY_MS);
        await this.send(id, sent);
      }
    }
  }

  private async send(id: string, sent: Sent): Promise<void> {
    const from = this.listener.replies.length;
    try {
      const res = await fetch(`${this.url()}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sent.body), signal: AbortSignal.timeout(15_000) });
      await res.arrayBuffer();
      sent.statuses.push(res.status);
      // This try's replies (an earlier try's apology stays in the listener). None: the bot has answered
      // it already (a try whose answer the kill cut off after the turn was stored): one of the earlier
      // tries got the real reply.
      const replies = this.listener.replies.slice(from).filter((r) => r.replyToId === id);
      const earlier = this.listener.replies.slice(0, from).filter((r) => r.replyToId === id && !APOLOGIES.has(r.activity.text ?? ''));
      sent.clean = res.status === 200 && (replies.length > 0 ? replies.every((r) => !APOLOGIES.has(r.activity.text ?? '')) : earlier.length > 0);
    } catch (err) {
      sent.statuses.push((err as Error).name);
    }
  }
}

/** A free loopback port. */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const PG_BIN = process.env.KEFU_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL cluster of the test's own (initdb + pg_ctl into a temporary folder, on a free port,
 * trust auth), to stop and start under load without touching the shared server. initdb refuses
 * root: as root the cluster runs as the `postgres` user (runuser).
 */
export class PgCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly asPostgres: boolean,
  ) {}

  /** The cluster, or why it cannot be made here (the test is then skipped with that reason). */
  static async create(): Promise<PgCluster | string> {
    if (!fs.existsSync(path.join(PG_BIN, 'initdb'))) return `no PostgreSQL server binaries in ${PG_BIN} (set KEFU_PG_BIN)`;
    const root = process.getuid?.() === 0;
    if (root) {
      try {
        execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
      } catch {
        return 'running as root and there is no postgres user to run initdb as';
      }
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-pg-'));
    if (root) execFileSync('chown', ['postgres', dir]);
    const cluster = new PgCluster(dir, await freePort(), root);
    cluster.run('initdb', ['-D', path.join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
    cluster.start();
    return cluster;
  }

  get adminUrl(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  urlOf(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  start(): void {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=60`;
    this.run('pg_ctl', ['-D', path.join(this.dir, 'data'), '-o', options, '-l', path.join(this.dir, 'log'), '-w', '-t', '60', 'start']);
  }

  /** Stops the server: `fast` ends every connection (a restart, a failover). */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    this.run('pg_ctl', ['-D', path.join(this.dir, 'data'), '-m', mode, '-w', '-t', '60', 'stop']);
  }

  destroy(): void {
    try {
      this.stop('immediate');
    } catch {
      // already stopped
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private run(bin: string, args: string[]): void {
    const file = path.join(PG_BIN, bin);
    if (this.asPostgres) execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'ignore', cwd: this.dir });
    else execFileSync(file, args, { stdio: 'ignore', cwd: this.dir });
  }
}
