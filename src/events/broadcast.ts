import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Client, ClientConfig } from 'pg';

/**
 * Tells every instance of Kefu that something happened (a committed event, a new activity in a web
 * chat conversation), so each one can act on what concerns it: its open streams, its dispatcher.
 * Messages are small hints (ids, topics); the data itself is read from the store. A lost message
 * costs latency, never data: the dispatcher also polls, and a web chat client also polls on reconnect.
 */
export interface Broadcast {
  publish(topic: string, message?: string): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(topic: string, handler: (message: string) => void): () => void;
  close(): Promise<void>;
}

/** One process: an in-memory emitter (SQLite, or a single instance). */
export class LocalBroadcast implements Broadcast {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(topic: string, message = ''): Promise<void> {
    this.emitter.emit(topic, message);
  }

  subscribe(topic: string, handler: (message: string) => void): () => void {
    this.emitter.on(topic, handler);
    return () => this.emitter.off(topic, handler);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

const CHANNEL = 'kefu';
/** NOTIFY payloads are limited to 8000 bytes. */
const MAX_PAYLOAD = 7900;

/**
 * Several instances on one PostgreSQL database: LISTEN / NOTIFY on the channel "kefu". Each instance
 * keeps one listening connection, reconnecting with backoff when it breaks (a database restart);
 * publishing goes through the shared pool. An instance hears its own notifications too.
 */
export class PgBroadcast implements Broadcast {
  private readonly local = new LocalBroadcast();
  private client: Client | undefined;
  private closed = false;
  private retryMs = 250;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly config: ClientConfig,
    private readonly notify: (payload: string) => Promise<void>,
    private readonly onError: (err: Error) => void,
  ) {}

  static async start(config: ClientConfig, notify: (payload: string) => Promise<void>, onError: (err: Error) => void): Promise<PgBroadcast> {
    const broadcast = new PgBroadcast(config, notify, onError);
    await broadcast.connect();
    return broadcast;
  }

  private async connect(): Promise<void> {
    const { Client } = await import('pg');
    const client = new Client(this.config);
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('listening connection ended')));
    client.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      try {
        const { topic, message } = JSON.parse(n.payload) as { topic: string; message?: string };
        void this.local.publish(topic, message ?? '');
      } catch {
        // Not ours.
      }
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
    this.retryMs = 250;
  }

  private lost(client: Client, err: Error): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    this.onError(err);
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect().then(
        // Whatever was published while we were away is missed: tell local subscribers to look again.
        () => void this.local.publish(RECONNECTED_TOPIC),
        (err: unknown) => {
          this.onError(err instanceof Error ? err : new Error(String(err)));
          this.retryMs = Math.min(this.retryMs * 2, 10_000);
          this.reconnectLater();
        },
      );
    }, this.retryMs);
    this.timer.unref();
  }

  async publish(topic: string, message = ''): Promise<void> {
    const payload = JSON.stringify({ topic, message });
    if (Buffer.byteLength(payload) > MAX_PAYLOAD) throw new Error(`broadcast message on ${topic} is too large`);
    await this.notify(payload);
  }

  subscribe(topic: string, handler: (message: string) => void): () => void {
    return this.local.subscribe(topic, handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await this.local.close();
  }
}

/** Published locally after a broadcast connection came back: messages may have been missed. */
export const RECONNECTED_TOPIC = 'broadcast.reconnected';

/**
 * Several instances with Redis (REDIS_URL): publish / subscribe on the channel "kefu". ioredis
 * reconnects on its own; after a reconnect local subscribers are told to look again.
 */
export class RedisBroadcast implements Broadcast {
  private readonly local = new LocalBroadcast();

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {}

  static async start(url: string, onError: (err: Error) => void): Promise<RedisBroadcast> {
    const { Redis } = await import('ioredis');
    const options = { lazyConnect: true, maxRetriesPerRequest: 2 };
    const publisher = new Redis(url, options);
    const subscriber = new Redis(url, options);
    const broadcast = new RedisBroadcast(publisher, subscriber);
    for (const client of [publisher, subscriber]) client.on('error', onError);
    let connectedOnce = false;
    subscriber.on('ready', () => {
      if (connectedOnce) void broadcast.local.publish(RECONNECTED_TOPIC);
      connectedOnce = true;
    });
    subscriber.on('message', (_channel: string, payload: string) => {
      try {
        const { topic, message } = JSON.parse(payload) as { topic: string; message?: string };
        void broadcast.local.publish(topic, message ?? '');
      } catch {
        // Not ours.
      }
    });
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.subscribe(CHANNEL);
    return broadcast;
  }

  async publish(topic: string, message = ''): Promise<void> {
    await this.publisher.publish(CHANNEL, JSON.stringify({ topic, message }));
  }

  subscribe(topic: string, handler: (message: string) => void): () => void {
    return this.local.subscribe(topic, handler);
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    this.publisher.disconnect();
    await this.local.close();
  }
}
