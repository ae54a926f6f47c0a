import type { Prisma, Tx } from '../../store/records';
import type { Order, OrderItem } from '../orders';
import { writeAudit } from '../../crm/audit';
import { revokeSignIns } from '../../crm/conversations';
import { AppError } from '../../errors';
import type { Db, Store } from '../../store/db';
import { asError, isUniqueViolation } from '../../store/errors';
import { BatchRun, type BatchDeps, type BatchResult } from './batchIngest';
import { Coalescer } from '../../store/coalescer';
import { MAX_BATCH, type ShopEvent } from './schemas';

export type OrderWithItems = Order & { items: OrderItem[] };

/** What became of one event: applied now, applied before (same id), or older than the state held. */
export type IngestOutcome = 'applied' | 'duplicate' | 'outdated';

/** What other features do, in the event's transaction, when the shop's orders change. */
export interface OrderHooks {
  /** Orders were delivered (each the first time, in the order of their events): points are earned. */
  delivered?(tx: Tx, orders: Pick<Order, 'id' | 'customerId' | 'total'>[], now: Date): Promise<void>;
  /** Part of the order was refunded (`amount` fen, by the shop's event `eventId`): points are reversed. */
  refunded?(tx: Tx, order: OrderWithItems, amount: number, eventId: string, now: Date): Promise<void>;
  /** The shop answered a cancellation the customer asked for in chat. */
  cancelAnswered?(tx: Tx, order: OrderWithItems, outcome: { cancelled: boolean; reason?: string }, now: Date): Promise<void>;
}

const STATUS_FIELD = {
  'order.paid': 'paidAt',
  'order.shipped': 'shippedAt',
  'order.delivered': 'deliveredAt',
  'order.cancelled': 'cancelledAt',
} as const;

/** What ShopIngest needs of the store: its client, which database it is, the cipher of personal fields (for the batch's own statements). */
export type IngestStore = Pick<Store, 'db' | 'provider' | 'cipher'>;

/**
 * Applies the shop's events to Kefu's copy of customers and orders. Each event applied once by its
 * id (a repeat answers "duplicate"), all or nothing (a refused event leaves no trace, so the shop may
 * send it again once fixed). Order: an event older than the last one applied to the same customer or
 * order does not overwrite its state ("outdated"), but facts only it carries (when the order was
 * paid, the tracking number) are still filled in.
 *
 * `applyMany` applies a batch in one transaction with a few set-based statements (batchIngest.ts):
 * the HTTP API (one event is a batch of one), the import and the demo shop go through it.
 * `applyAlone` is the same rules one event at a time through Prisma: the reference, and what a batch
 * falls back to when its transaction fails as a whole (a conflict with another instance).
 */
export class ShopIngest {
  private readonly db: Db;
  private readonly coalescer: Coalescer<ShopEvent, IngestOutcome>;

  constructor(
    private readonly store: IngestStore,
    private readonly hooks: OrderHooks = {},
    private readonly clock: () => Date = () => new Date(),
    /** Told when a batch's transaction failed as a whole and its events are applied one at a time. */
    private readonly onBatchFailed: (err: Error) => void = () => undefined,
  ) {
    this.db = store.db;
    this.coalescer = new Coalescer((events) => this.applyMany(events), { maxInFlight: store.provider === 'postgresql' ? 2 : 1, maxBatch: MAX_BATCH });
  }

  /**
   * One event: its outcome, or the AppError that refused it. Events that arrive while a batch is at
   * the store (concurrent requests) go together in the next one (natural batching, src/store/coalescer.ts):
   * a lone event waits for nothing; under load, many share one transaction.
   */
  apply(event: ShopEvent): Promise<IngestOutcome> {
    return this.coalescer.submit(event);
  }

  /** Events in order, in one transaction: each one's outcome, or why it was refused (AppError) or failed. */
  async applyMany(events: ShopEvent[]): Promise<BatchResult[]> {
    if (!events.length) return [];
    const now = this.clock();
    const deps: BatchDeps = {
      provider: this.store.provider,
      cipher: this.store.cipher,
      own: (tx, event) => this.applyIn(tx, event, now).then(async (outcome) => (await this.recordEvent(tx, event, outcome, now), outcome)),
      delivered: this.hooks.delivered && ((tx, orders) => this.hooks.delivered!(tx, orders, now)),
    };
    try {
      return await this.db.$transaction((tx) => new BatchRun(tx, deps, now).run(events));
    } catch (err) {
      // Nothing of the batch was written (a unique id taken by another instance meanwhile, a deadlock): one at a time.
      this.onBatchFailed(asError(err));
      const results: BatchResult[] = [];
      for (const event of events) results.push(await this.applyAlone(event).catch(asError));
      return results;
    }
  }

  /**
   * One event in its own transaction through Prisma (see the class). A row it creates (the customer
   * of a new order) created meanwhile by a concurrent transaction fails it with a unique violation:
   * it runs again, and finds the row.
   */
  async applyAlone(event: ShopEvent, attempts = 3): Promise<IngestOutcome> {
    try {
      return await this.applyOnce(event);
    } catch (err) {
      if (attempts > 1 && isUniqueViolation(err)) return this.applyAlone(event, attempts - 1);
      throw err;
    }
  }

  private async applyOnce(event: ShopEvent): Promise<IngestOutcome> {
    const now = this.clock();
    try {
      return await this.db.$transaction(async (tx) => {
        if (await tx.shopEvent.findUnique({ where: { id: event.id }, select: { id: true } })) return 'duplicate';
        const outcome = await this.applyIn(tx, event, now);
        await this.recordEvent(tx, event, outcome, now);
        return outcome;
      });
    } catch (err) {
      // The same event applied by a concurrent request (another instance): its id is taken.
      if (isUniqueViolation(err) && (await this.db.shopEvent.findUnique({ where: { id: event.id }, select: { id: true } }))) return 'duplicate';
      throw err;
    }
  }

  private recordEvent(tx: Tx, event: ShopEvent, outcome: IngestOutcome, now: Date) {
    return tx.shopEvent.create({ data: { id: event.id, type: event.type, outcome, occurredAt: new Date(event.occurredAt), receivedAt: now } });
  }

  private async applyIn(tx: Tx, event: ShopEvent, now: Date): Promise<'applied' | 'outdated'> {
    const at = new Date(event.occurredAt);
    switch (event.type) {
      case 'customer.created':
      case 'customer.updated':
        return this.upsertCustomer(tx, event.data, at);
      case 'customer.consent': {
        const customer = await this.customer(tx, event.data.customerId, at);
        if (customer.consentUpdatedAt && customer.consentUpdatedAt > at) return 'outdated';
        await tx.customer.update({ where: { id: customer.id }, data: { marketingConsent: event.data.marketing, consentUpdatedAt: at } });
        await writeAudit(tx, { actor: { type: 'system', id: 'shop' }, action: 'customer.consent', entity: 'Customer', entityId: customer.id, before: { marketing: customer.marketingConsent }, after: { marketing: event.data.marketing } });
        return 'applied';
      }
      case 'customer.sessions_revoked': {
        // When received, whatever occurredAt says: a sign-in made since then was made before Kefu knew.
        const customer = await tx.customer.findUnique({ where: { externalId: event.data.customerId }, select: { id: true } });
        if (customer) await revokeSignIns(tx, customer.id, now, { type: 'system', id: 'shop' }, `shop event ${event.id}`);
        return 'applied';
      }
      case 'order.created':
        return this.createOrder(tx, event.data, at);
      case 'order.paid':
      case 'order.shipped':
      case 'order.delivered':
      case 'order.cancelled':
        return this.moveOrder(tx, event, at, now);
      case 'order.cancel_refused': {
        const order = await this.order(tx, event.data.orderNumber);
        if (!order.cancelRequestedAt) return 'outdated';
        await tx.order.update({ where: { id: order.id }, data: { cancelRequestedAt: null } });
        await this.hooks.cancelAnswered?.(tx, order, { cancelled: false, reason: event.data.reason }, now);
        return 'applied';
      }
      case 'order.refunded':
        return this.refund(tx, event.id, event.data, at, now);
    }
  }

  private async upsertCustomer(tx: Tx, data: Extract<ShopEvent, { type: 'customer.created' }>['data'], at: Date): Promise<'applied' | 'outdated'> {
    const { customerId: externalId, ...fields } = data;
    const existing = await tx.customer.findUnique({ where: { externalId } });
    if (!existing) {
      await tx.customer.create({ data: { externalId, ...fields, shopUpdatedAt: at } });
      return 'applied';
    }
    if (existing.shopUpdatedAt && existing.shopUpdatedAt > at) return 'outdated';
    await tx.customer.update({ where: { id: existing.id }, data: { ...fields, shopUpdatedAt: at } });
    return 'applied';
  }

  /** The customer with this shop id; created (with nothing but the id) when the shop has not told of them yet. */
  private async customer(tx: Tx, externalId: string, at: Date) {
    return (await tx.customer.findUnique({ where: { externalId } })) ?? tx.customer.create({ data: { externalId, shopUpdatedAt: null, createdAt: at } });
  }

  private async order(tx: Tx, number: string): Promise<OrderWithItems> {
    const order = await tx.order.findUnique({ where: { number }, include: { items: { orderBy: { id: 'asc' } } } });
    if (!order) throw new AppError('not_found', `Order ${number} is not known: send its order.created event first`);
    return order;
  }

  private async createOrder(tx: Tx, data: Extract<ShopEvent, { type: 'order.created' }>['data'], at: Date): Promise<'applied' | 'outdated'> {
    const itemsTotal = data.items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0);
    if (itemsTotal + data.shippingFee - data.discount !== data.total) {
      throw new AppError('invalid_request', `data.total: ${data.total} is not items (${itemsTotal}) + shippingFee (${data.shippingFee}) - discount (${data.discount})`);
    }
    if (await tx.order.findUnique({ where: { number: data.orderNumber }, select: { id: true } })) return 'outdated';
    const customer = await this.customer(tx, data.customerId, at);
    await tx.order.create({
      data: {
        number: data.orderNumber,
        customerId: customer.id,
        status: 'CREATED',
        currency: data.currency,
        itemsTotal,
        shippingFee: data.shippingFee,
        discount: data.discount,
        total: data.total,
        paymentMethod: data.paymentMethod ?? null,
        shippingName: data.shipping.name,
        shippingPhone: data.shipping.phone,
        shippingAddress: data.shipping.address,
        createdAt: at,
        shopUpdatedAt: at,
        items: { create: data.items.map((i) => ({ sku: i.sku, name: i.name, nameEn: i.nameEn ?? null, quantity: i.quantity, unitPrice: i.unitPrice })) },
      },
    });
    return 'applied';
  }

  private async moveOrder(tx: Tx, event: Extract<ShopEvent, { type: keyof typeof STATUS_FIELD }>, at: Date, now: Date): Promise<'applied' | 'outdated'> {
    const order = await this.order(tx, event.data.orderNumber);
    const field = STATUS_FIELD[event.type];
    const facts: Prisma.OrderUpdateInput = {};
    if (!order[field]) facts[field] = at;
    if (event.type === 'order.shipped' && !order.trackingNumber) Object.assign(facts, { carrier: event.data.carrier, trackingNumber: event.data.trackingNumber });
    if (event.type === 'order.paid' && event.data.paymentMethod && !order.paymentMethod) facts.paymentMethod = event.data.paymentMethod;
    const outdated = order.shopUpdatedAt !== null && order.shopUpdatedAt > at;
    if (outdated) {
      if (Object.keys(facts).length) await tx.order.update({ where: { id: order.id }, data: facts });
      return 'outdated';
    }
    const status = ({ 'order.paid': 'PAID', 'order.shipped': 'SHIPPED', 'order.delivered': 'DELIVERED', 'order.cancelled': 'CANCELLED' } as const)[event.type];
    const data: Prisma.OrderUpdateInput = { ...facts, status, shopUpdatedAt: at };
    if (event.type === 'order.shipped') Object.assign(data, { carrier: event.data.carrier, trackingNumber: event.data.trackingNumber });
    if (event.type === 'order.cancelled') data.cancelRequestedAt = null;
    const updated = await tx.order.update({ where: { id: order.id }, data, include: { items: { orderBy: { id: 'asc' } } } });
    if (event.type === 'order.delivered' && order.status !== 'DELIVERED') await this.hooks.delivered?.(tx, [updated], now);
    if (event.type === 'order.cancelled' && order.cancelRequestedAt) await this.hooks.cancelAnswered?.(tx, updated, { cancelled: true, reason: event.data.reason }, now);
    return 'applied';
  }

  private async refund(tx: Tx, eventId: string, data: Extract<ShopEvent, { type: 'order.refunded' }>['data'], at: Date, now: Date): Promise<'applied'> {
    const order = await this.order(tx, data.orderNumber);
    let amount = 0;
    for (const line of data.items) {
      const item = order.items.find((i) => i.sku === line.sku);
      if (!item) throw new AppError('invalid_request', `data.items: order ${order.number} has no item ${line.sku}`);
      if (item.returnedQuantity + line.quantity > item.quantity) {
        throw new AppError('invalid_request', `data.items: ${line.sku}: ${line.quantity} more returned would make ${item.returnedQuantity + line.quantity} of ${item.quantity} ordered`);
      }
      if (item.refundedAmount + line.amount > item.unitPrice * item.quantity) {
        throw new AppError('invalid_request', `data.items: ${line.sku}: refunding ${line.amount} more would exceed the item's ${item.unitPrice * item.quantity} fen`);
      }
      await tx.orderItem.update({ where: { id: item.id }, data: { returnedQuantity: { increment: line.quantity }, refundedAmount: { increment: line.amount } } });
      item.returnedQuantity += line.quantity;
      item.refundedAmount += line.amount;
      amount += line.amount;
    }
    const allBack = order.items.every((i) => i.returnedQuantity >= i.quantity);
    const returned = data.items.some((l) => l.quantity > 0);
    const updated = await tx.order.update({
      where: { id: order.id },
      data: {
        refundedTotal: { increment: amount },
        ...(returned && !order.returnedAt ? { returnedAt: at } : {}),
        ...(allBack ? { status: 'RETURNED' } : {}),
      },
      include: { items: { orderBy: { id: 'asc' } } },
    });
    if (amount > 0) await this.hooks.refunded?.(tx, updated, amount, eventId, now);
    return 'applied';
  }
}
