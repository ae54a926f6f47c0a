import http from 'node:http';
import type { AddressInfo } from 'node:net';
import crypto from 'node:crypto';
import { startApp, type App, type StartOptions } from '../../src/app';
import { loadConfig, type Config } from '../../src/config/config';
import type { Provider } from '../../src/store/db';
import { TEST_NOW, TestClock } from './clock';
import { createTestDatabase, type TestDatabase } from './db';

/** An activity as the channel would post it (only what the tests vary). */
export interface ChannelActivity {
  type?: string;
  id?: string;
  text?: string;
  locale?: string;
  conversationId?: string;
  userId?: string;
  deliveryMode?: string;
  attachments?: unknown[];
  name?: string;
  membersAdded?: { id: string }[];
}

export interface ReceivedReply {
  conversationId: string;
  replyToId?: string;
  activity: { type: string; text?: string; locale?: string; suggestedActions?: { actions: { title: string }[] }; [k: string]: unknown };
}

/**
 * A stand-in for a Bot Framework channel's connector service on a loopback port: the bot POSTs its
 * replies here (the activity's serviceUrl). `hold()` keeps every reply unanswered until `release()`,
 * to keep a turn in flight for as long as a test needs.
 */
export class ReplyListener {
  readonly replies: ReceivedReply[] = [];
  /** Replies that reached the listener, including those still held. */
  arrived = 0;
  private held: (() => void)[] | undefined;
  private server?: http.Server;
  private waiters: { ready: () => boolean; resolve: () => void }[] = [];
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        this.arrived++;
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
        const reply = () => {
          if (match && req.method === 'POST') {
            this.replies.push({
              conversationId: decodeURIComponent(match[1]),
              replyToId: match[2] ? decodeURIComponent(match[2]) : undefined,
              activity: JSON.parse(body || '{}'),
            });
          }
          res.statusCode = match ? 200 : 404;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ id: `reply-${crypto.randomBytes(4).toString('hex')}` }));
          this.notify();
        };
        if (this.held) this.held.push(reply);
        else reply();
        this.notify();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** From now on, replies are received but not answered (the bot's send waits) until release(). */
  hold(): void {
    this.held ??= [];
  }

  /** Answers the held replies, and stops holding. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const reply of held) reply();
  }

  for(conversationId: string): ReceivedReply[] {
    return this.replies.filter((r) => r.conversationId === conversationId);
  }

  texts(conversationId: string): string[] {
    return this.for(conversationId).map((r) => r.activity.text ?? '');
  }

  /** Resolves once at least `count` replies reached the listener (held ones included); rejects after timeoutMs. */
  waitForArrivals(count: number, timeoutMs = 10_000): Promise<void> {
    return this.until(() => this.arrived >= count, () => `${count} arrivals (have ${this.arrived})`, timeoutMs);
  }

  /** Resolves once `count` replies were received (for one conversation if given); rejects after timeoutMs. */
  waitFor(count: number, conversationId?: string, timeoutMs = 10_000): Promise<void> {
    const have = () => (conversationId ? this.for(conversationId).length : this.replies.length);
    return this.until(() => have() >= count, () => `${count} replies (have ${have()})`, timeoutMs);
  }

  private until(ready: () => boolean, what: () => string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what()}`)), timeoutMs);
      timer.unref();
      this.waiters.push({ ready, resolve: () => (clearTimeout(timer), resolve()) });
      this.notify();
    });
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.ready()) return true;
      w.resolve();
      return false;
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export function testConfig(databaseUrl: string, overrides: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    DB_SEED_ON_START: 'false',
    DEFAULT_LOCALE: 'zh-CN',
    SHUTDOWN_GRACE_MS: '5000',
    // Tests on a shared Redis must not count against each other's rate limits.
    // The tests' channel (ReplyListener) listens on a loopback port of its own.
    BOT_SERVICE_URLS: 'http://127.0.0.1:*',
    RATE_LIMIT_PREFIX: `kefu-test-${crypto.randomBytes(6).toString('hex')}`,
    ...overrides,
  });
}

/**
 * The real app on a test database, plus a reply listener and helpers to talk to it over HTTP. The app's
 * services run on `clock` (TEST_NOW unless set: tickets' numbers and deadlines, the demo shop's dates);
 * what really needs the wall clock (Direct Line tokens, transcript timestamps) keeps it.
 */
export class TestBot {
  app!: App;
  database!: TestDatabase;
  listener = new ReplyListener();
  readonly clock = new TestClock(TEST_NOW);
  private counter = 0;

  constructor(
    readonly provider: Provider,
    private readonly configOverrides: Record<string, string> = {},
    private readonly options: StartOptions = {},
  ) {}

  async start(database?: TestDatabase): Promise<this> {
    this.database = database ?? (await createTestDatabase(this.provider, 'bot'));
    await this.listener.start();
    this.app = await startApp(testConfig(this.database.url, this.configOverrides), { clock: this.clock.now, demoSeed: 'rows', ...this.options });
    return this;
  }

  /** Restarts the app on the same database (a new process would behave the same: nothing is in memory). */
  async restart(): Promise<void> {
    await this.app.stop();
    this.app = await startApp(testConfig(this.database.url, this.configOverrides), { clock: this.clock.now, demoSeed: 'rows', ...this.options });
  }

  activity(a: ChannelActivity): Record<string, unknown> {
    const conversationId = a.conversationId ?? 'conv-1';
    const userId = a.userId ?? `user-${conversationId}`;
    return {
      type: a.type ?? 'message',
      id: a.id ?? `act-${++this.counter}-${crypto.randomBytes(3).toString('hex')}`,
      timestamp: new Date().toISOString(),
      channelId: 'test',
      serviceUrl: this.listener.url,
      conversation: { id: conversationId },
      from: { id: userId, name: 'Test Customer' },
      recipient: { id: 'kefu-bot', name: 'Kefu' },
      ...(a.text !== undefined ? { text: a.text } : {}),
      ...(a.locale ? { locale: a.locale } : {}),
      ...(a.deliveryMode ? { deliveryMode: a.deliveryMode } : {}),
      ...(a.attachments ? { attachments: a.attachments } : {}),
      ...(a.name ? { name: a.name } : {}),
      ...(a.membersAdded ? { membersAdded: a.membersAdded } : {}),
    };
  }

  /** POSTs raw JSON (or a string body) to a path of the app. */
  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: string; json: () => unknown }> {
    const res = await fetch(`${this.app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text, json: () => JSON.parse(text) };
  }

  /** Sends an activity and waits until `expectReplies` more replies arrived for its conversation. */
  async say(a: ChannelActivity, expectReplies = 1): Promise<string[]> {
    const conversationId = a.conversationId ?? 'conv-1';
    const before = this.listener.for(conversationId).length;
    const res = await this.post('/api/messages', this.activity(a));
    if (res.status >= 300) throw new Error(`POST /api/messages answered ${res.status}: ${res.body}`);
    await this.listener.waitFor(before + expectReplies, conversationId);
    return this.listener.texts(conversationId).slice(before);
  }

  async stop(): Promise<void> {
    await this.app?.stop();
    await this.listener.stop();
    await this.database?.drop();
  }
}
