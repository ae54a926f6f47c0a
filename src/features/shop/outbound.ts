import type { DomainEvent, EventLog, Subscription } from '../../events/eventLog';
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import { signedHeaders } from './signature';

/** The events Kefu records that the shop must hear of (their types, as in src/features/orders and tickets). */
export const ORDER_CHANGED = 'order.changed';
export const TICKET_NOTICE = 'ticket.notice';
const SHOP_TICKET_CATEGORIES = ['return', 'exchange', 'repair'];
/**
 * The shop is asked to issue a coupon: a care message (segments' win-back) promised it, or the
 * customer bought it with points (loyalty's redemption, whose points are already taken).
 */
export const COUPON_REQUESTED = 'care.coupon_requested';
export type CouponRequested = {
  customerId: string;
  code: string;
  /** In fen. */
  amount: number;
  validDays: number;
} & ({ reason: 'winback'; careMessageId: string } | { reason: 'redemption'; pointsEntryId: string; points: number });

/** The outbox's subscriber name: its deliveries are the webhooks (the staff's webhooks page lists the stuck ones). */
export const SHOP_WEBHOOK_SUBSCRIBER = 'shop.webhook';
/** Recorded when the dispatcher gives a webhook up (its last attempt failed): the agent console alerts the supervisors. */
export const SHOP_WEBHOOK_DEAD = 'shop.webhook_dead';
export interface ShopWebhookDead extends WebhookConcerns {
  eventId: string;
  type: ShopWebhook['type'];
  error: string;
}

/** Whom a webhook concerns: what an agent needs to act on it (the shop's customer id). */
export interface WebhookConcerns {
  orderNumber: string | null;
  ticketNumber: string | null;
  customerId: string | null;
}

export function webhookConcerns(webhook: ShopWebhook | undefined): WebhookConcerns {
  const data = (webhook?.data ?? {}) as { orderNumber?: string | null; ticketNumber?: string; customerId?: string | null };
  return { orderNumber: data.orderNumber ?? null, ticketNumber: data.ticketNumber ?? null, customerId: data.customerId ?? null };
}

/**
 * What Kefu sends the shop (POST SHOP_WEBHOOK_URL, signed like the shop's own requests, with
 * `Idempotency-Key: <id>`: a retry of the same change carries the same key and id).
 */
export type ShopWebhook = {
  id: string;
  type: 'order.cancel_requested' | 'order.cancelled' | 'order.address_changed' | 'return.requested' | 'exchange.requested' | 'repair.requested' | 'coupon.requested';
  occurredAt: string;
  data: Record<string, unknown>;
};

/** Who answers a webhook: the shop over HTTP, or the in-process demo shop. Throws to be retried. */
export type WebhookTransport = (webhook: ShopWebhook) => Promise<void>;

/** Sends webhooks to the shop's URL; anything but a 2xx in time is an error (the dispatcher retries with backoff). */
export function httpTransport(url: string, secret: string, timeoutMs: number, clock: () => Date): WebhookTransport {
  return async (webhook) => {
    const body = JSON.stringify(webhook);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': webhook.id, ...signedHeaders(secret, body, clock()) },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new Error(`the shop could not be reached: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) throw new Error(`the shop answered ${res.status}`);
  };
}

/**
 * The outbox to the shop: an event subscriber, so a change and its webhook are recorded in one
 * transaction, delivered after the commit, retried with backoff while the shop is down (given up
 * after EVENTS_MAX_ATTEMPTS, then SHOP_WEBHOOK_DEAD is recorded and the delivery is listed on the staff's
 * webhooks page and by `npm run events -- dead`), and keyed by the event id.
 */
export class ShopOutbox {
  readonly subscription: Subscription;

  constructor(
    private readonly db: Db,
    private readonly transport: WebhookTransport,
    private readonly logger: Logger,
    /** Where a webhook given up is told (SHOP_WEBHOOK_DEAD), and after how many attempts the dispatcher gives up (EVENTS_MAX_ATTEMPTS). */
    private readonly deadLetters?: { events: EventLog; maxAttempts: number; clock: () => Date },
  ) {
    this.subscription = {
      name: SHOP_WEBHOOK_SUBSCRIBER,
      types: [ORDER_CHANGED, TICKET_NOTICE, COUPON_REQUESTED],
      handle: (event, delivery) => this.deliver(event, delivery.attempt),
    };
  }

  private async deliver(event: DomainEvent, attempt: number): Promise<void> {
    const webhook = await this.webhookFor(event);
    if (!webhook) return;
    try {
      await this.transport(webhook);
    } catch (err) {
      // The dispatcher marks the delivery DEAD when its attempt number reaches maxAttempts: say so in the event log.
      if (this.deadLetters && attempt >= this.deadLetters.maxAttempts) {
        await this.recordDead(webhook, err).catch((failed: unknown) => this.logger.error({ err: failed, id: webhook.id }, 'a dead shop webhook could not be recorded for the console'));
      }
      throw err;
    }
    this.logger.info({ id: webhook.id, type: webhook.type }, 'shop webhook delivered');
  }

  private async recordDead(webhook: ShopWebhook, err: unknown): Promise<void> {
    const { events, clock } = this.deadLetters!;
    const dead: ShopWebhookDead = { eventId: webhook.id, type: webhook.type, ...webhookConcerns(webhook), error: (err instanceof Error ? err.message : String(err)).slice(0, 500) };
    await this.db.$transaction((tx) => events.record(tx, [{ type: SHOP_WEBHOOK_DEAD, subject: `ShopWebhook:${webhook.id}`, payload: dead }], clock()));
  }

  /** The webhook an event becomes, or undefined if the shop need not hear of it. */
  async webhookFor(event: DomainEvent): Promise<ShopWebhook | undefined> {
    const base = { id: event.id, occurredAt: event.createdAt.toISOString() };
    if (event.type === ORDER_CHANGED) {
      const p = event.payload as { orderId: string; action: string };
      const order = await this.db.order.findUnique({ where: { id: p.orderId }, include: { customer: { select: { externalId: true } } } });
      if (!order) return undefined;
      const who = { orderNumber: order.number, customerId: order.customer.externalId };
      if (p.action === 'order.cancel_request') return { ...base, type: 'order.cancel_requested', data: who };
      if (p.action === 'order.cancel') return { ...base, type: 'order.cancelled', data: who };
      // The address as it is when sent (events carry no personal data): after two quick changes both
      // webhooks carry the latest, which is what the shop must end up with.
      if (p.action === 'order.address') return { ...base, type: 'order.address_changed', data: { ...who, shippingAddress: order.shippingAddress } };
      return undefined;
    }
    if (event.type === COUPON_REQUESTED) {
      const p = event.payload as CouponRequested;
      const customer = await this.db.customer.findUnique({ where: { id: p.customerId }, select: { externalId: true } });
      if (!customer?.externalId) return undefined;
      const coupon = { customerId: customer.externalId, code: p.code, amount: p.amount, validDays: p.validDays, reason: p.reason };
      return { ...base, type: 'coupon.requested', data: p.reason === 'redemption' ? { ...coupon, points: p.points } : coupon };
    }
    const notice = event.payload as { kind: string; ticketId: string; number: string; category: string };
    if (notice.kind !== 'opened' || !SHOP_TICKET_CATEGORIES.includes(notice.category)) return undefined;
    const ticket = await this.db.ticket.findUnique({ where: { id: notice.ticketId }, include: { order: { select: { number: true } }, customer: { select: { externalId: true } } } });
    if (!ticket) return undefined;
    return {
      ...base,
      type: `${notice.category}.requested` as ShopWebhook['type'],
      data: { ticketNumber: ticket.number, orderNumber: ticket.order?.number ?? null, customerId: ticket.customer.externalId, summary: ticket.summary },
    };
  }
}
