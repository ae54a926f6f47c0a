import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalBroadcast } from '../../src/events/broadcast';
import { EventDispatcher } from '../../src/events/dispatcher';
import { createLogger } from '../../src/logger';
import type { Provider } from '../../src/store/db';
import { sign } from '../../src/features/shop';
import { TestBot } from '../support/harness';

export const SECRET = 'test-shop-secret-0123456789';

export interface Sent {
  status: number;
  json: { id?: string | null; status?: number; outcome?: string; error?: string; message?: string; results?: { id: string | null; status: number; outcome?: string; error?: string; message?: string }[] };
}

/** The real app with a shop secret, and a shop that signs what it sends (or gets it wrong on purpose). */
export class ShopTestBot extends TestBot {
  private seq = 0;

  constructor(provider: Provider, overrides: Record<string, string> = {}) {
    super(provider, { SHOP_WEBHOOK_SECRET: SECRET, TICKETS_SLA_WATCH_ENABLED: 'false', ...overrides });
  }

  /** POSTs a body signed as the shop would (`secret`, `at` and `signature` override the honest values). */
  async send(path: '/api/shop/events' | '/api/shop/events/batch', body: unknown, opts: { secret?: string; at?: Date; signature?: string; raw?: string } = {}): Promise<Sent> {
    const raw = opts.raw ?? JSON.stringify(body);
    const timestamp = Math.floor((opts.at ?? this.clock.now()).getTime() / 1000);
    const res = await fetch(`${this.app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kefu-timestamp': String(timestamp), 'x-kefu-signature': opts.signature ?? sign(opts.secret ?? SECRET, timestamp, raw) },
      body: raw,
    });
    const text = await res.text();
    return { status: res.status, json: JSON.parse(text) as Sent['json'] };
  }

  /** Sends one event (its id made unique unless given); `resend` signs it a second later, as a shop's retry would be. */
  event(type: string, data: unknown, opts: { id?: string; occurredAt?: string; resend?: boolean } = {}): Promise<Sent> {
    const body = { id: opts.id ?? `evt-${++this.seq}`, type, occurredAt: opts.occurredAt ?? this.clock.now().toISOString(), data };
    return this.send('/api/shop/events', body, opts.resend ? { at: new Date(this.clock.now().getTime() + 1000) } : {});
  }
}

/** An order.created's data: two items (a 199 yuan kettle x2, a 59 yuan mug), free shipping. */
export function newOrder(orderNumber: string, customerId: string) {
  return {
    orderNumber,
    customerId,
    items: [
      { sku: 'KETTLE-1', name: '电热水壶', nameEn: 'Electric kettle', quantity: 2, unitPrice: 19900 },
      { sku: 'MUG-2', name: '陶瓷杯', quantity: 1, unitPrice: 5900 },
    ],
    total: 45700,
    shipping: { name: '王小明', phone: '13800138000', address: '上海市浦东新区世纪大道100号' },
  };
}

/** A shop's webhook endpoint on a loopback port: 500 while `down`, 503 `failNext` times, then 200; it keeps what it got. */
export class FakeShop {
  failNext = 0;
  down = false;
  readonly received: { status: number; headers: http.IncomingHttpHeaders; body: string }[] = [];
  private server?: http.Server;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const status = this.down ? 500 : this.failNext > 0 ? (this.failNext--, 503) : 200;
        this.received.push({ status, headers: req.headers, body });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/kefu-webhooks`;
    return this;
  }

  /** The webhooks (by type and order number) the shop answered 200 to. */
  taken(): string[] {
    return this.received.filter((r) => r.status === 200).map((r) => {
      const body = JSON.parse(r.body) as { type: string; data: { orderNumber?: string } };
      return `${body.type} ${body.data.orderNumber ?? ''}`;
    });
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * A shop customer with a paid order who asks in chat to cancel it (zh-CN, as they type it): the
 * shop is sent order.cancel_requested. Returns the chat's replies.
 */
export async function cancelInChat(bot: ShopTestBot, customerId: string, orderNumber: string): Promise<string[]> {
  await bot.event('customer.created', { customerId, name: '韩梅梅', locale: 'zh-CN' });
  await bot.event('order.created', newOrder(orderNumber, customerId), { occurredAt: '2026-11-26T01:00:00Z' });
  await bot.event('order.paid', { orderNumber }, { occurredAt: '2026-11-26T01:05:00Z' });
  const customer = await bot.app.store.db.customer.findUniqueOrThrow({ where: { externalId: customerId } });
  const conversationId = `c-${orderNumber}`;
  await bot.app.store.db.channelAccount.create({ data: { channelId: 'test', channelUserId: `user-${conversationId}`, customerId: customer.id } });
  await bot.say({ conversationId, locale: 'zh-CN', text: `取消订单${orderNumber}` });
  return bot.say({ conversationId, locale: 'zh-CN', text: '确定取消' });
}

/**
 * A bot whose webhooks go to a FakeShop, its outbox delivered by hand (`dispatcher()`, on the test's
 * clock: retries are due when the clock says so). Registers the describe block's beforeAll / afterAll.
 */
export function withWebhookShop(provider: Provider): { shop: FakeShop; bot: ShopTestBot; dispatcher: () => EventDispatcher } {
  const env = {
    shop: new FakeShop(),
    bot: undefined as unknown as ShopTestBot,
    dispatcher: () => new EventDispatcher({ db: env.bot.app.store.db, provider, events: env.bot.app.events, broadcast: new LocalBroadcast(), logger: createLogger('silent') }, { clock: env.bot.clock.now }),
  };
  beforeAll(async () => {
    await env.shop.start();
    env.bot = new ShopTestBot(provider, { SHOP_WEBHOOK_URL: env.shop.url, EVENTS_DISPATCH_ENABLED: 'false' });
    await env.bot.start();
  });
  afterAll(async () => {
    await env.bot.stop();
    await env.shop.stop();
  });
  return env;
}
