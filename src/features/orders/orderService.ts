import type { EventLog } from '../../events/eventLog';
import type { Db } from '../../store/db';
import { writeAudit, type Actor } from '../../crm/audit';
import { normalizeAddress } from '../../crm/contact';
import type { Order, OrderStatus, OrderWithItems } from './types';

export type { OrderStatus, OrderWithItems } from './types';

/** The event a customer's change of an order (cancel, new address) is recorded as. */
export const ORDER_CHANGED = 'order.changed';

/** Orders that have not left the warehouse: the customer may still cancel them or change the address. */
export const BEFORE_SHIPMENT: readonly OrderStatus[] = ['CREATED', 'PAID'];

export function isBeforeShipment(status: OrderStatus): boolean {
  return BEFORE_SHIPMENT.includes(status);
}

const DAY_MS = 24 * 60 * 60 * 1000;

export type ReturnWindow =
  | { state: 'open'; deadline: Date }
  | { state: 'closed'; deadline: Date }
  | { state: 'not_delivered' };

/** The return window: `days` days from delivery (the handbook's 7 days from receipt). */
export function returnWindow(order: Pick<Order, 'status' | 'deliveredAt'>, days: number, now: Date): ReturnWindow {
  if (order.status !== 'DELIVERED' || !order.deliveredAt) return { state: 'not_delivered' };
  const deadline = new Date(order.deliveredAt.getTime() + days * DAY_MS);
  return now.getTime() <= deadline.getTime() ? { state: 'open', deadline } : { state: 'closed', deadline };
}

export type OrderChange =
  | { ok: true; order: OrderWithItems }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'already_shipped' | 'already_cancelled' | 'invalid_address'; order: OrderWithItems };

/**
 * A customer's orders: reads always scoped to the customer (another customer's order number is
 * "not found"), and the two changes allowed before shipment, each written with its AuditLog row
 * in one transaction.
 */
export class OrderService {
  constructor(
    private readonly db: Db,
    private readonly events: EventLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The customer's most recent orders, newest first (optionally only some statuses). */
  recent(customerId: string, limit: number, statuses?: readonly OrderStatus[]): Promise<OrderWithItems[]> {
    return this.db.order.findMany({
      where: { customerId, ...(statuses ? { status: { in: [...statuses] } } : {}) },
      include: { items: { orderBy: { id: 'asc' } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  }

  /** The customer's orders with money refunded (a return, a refund of an item), newest first. */
  refunded(customerId: string, limit: number): Promise<Order[]> {
    return this.db.order.findMany({ where: { customerId, refundedTotal: { gt: 0 } }, orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }], take: limit });
  }

  /** The customer's own order with this number, or undefined. */
  async findForCustomer(customerId: string, number: string): Promise<OrderWithItems | undefined> {
    const order = await this.db.order.findUnique({ where: { number: number.trim().toUpperCase() }, include: { items: { orderBy: { id: 'asc' } } } });
    return order && order.customerId === customerId ? order : undefined;
  }

  countForCustomer(customerId: string): Promise<number> {
    return this.db.order.count({ where: { customerId } });
  }

  /**
   * Cancels an order that has not shipped, audit-logged. Unpaid: CANCELLED at once. Paid: the shop
   * must confirm (it may already be packing it), so the request is recorded (cancelRequestedAt) and
   * the order is CANCELLED when the shop's order.cancelled event arrives (src/features/shop).
   */
  cancel(customerId: string, number: string, actor: Actor): Promise<OrderChange> {
    return this.change(customerId, number, actor, (order, now) => {
      if (order.status === 'CANCELLED') return { refuse: 'already_cancelled' };
      if (!isBeforeShipment(order.status)) return { refuse: 'already_shipped' };
      if (order.status === 'PAID') {
        if (order.cancelRequestedAt) return { unchanged: true };
        return { action: 'order.cancel_request', data: { cancelRequestedAt: now }, before: { status: order.status }, after: { status: order.status, cancelRequestedAt: now } };
      }
      return { action: 'order.cancel', data: { status: 'CANCELLED', cancelledAt: now }, before: { status: order.status }, after: { status: 'CANCELLED', cancelledAt: now } };
    });
  }

  /** Changes the delivery address of an order that has not shipped, audit-logged with before/after. */
  changeAddress(customerId: string, number: string, address: string, actor: Actor): Promise<OrderChange> {
    const normalized = normalizeAddress(address);
    return this.change(customerId, number, actor, (order) => {
      if (!normalized) return { refuse: 'invalid_address' };
      if (order.status === 'CANCELLED') return { refuse: 'already_cancelled' };
      if (!isBeforeShipment(order.status)) return { refuse: 'already_shipped' };
      return { action: 'order.address', data: { shippingAddress: normalized }, before: { shippingAddress: order.shippingAddress }, after: { shippingAddress: normalized } };
    });
  }

  private async change(
    customerId: string,
    number: string,
    actor: Actor,
    plan: (order: OrderWithItems, now: Date) =>
      | { refuse: 'already_shipped' | 'already_cancelled' | 'invalid_address' }
      | { unchanged: true }
      | { action: string; data: { status?: 'CANCELLED'; cancelledAt?: Date; cancelRequestedAt?: Date; shippingAddress?: string }; before: unknown; after: unknown },
  ): Promise<OrderChange> {
    const now = this.clock();
    return this.db.$transaction(async (tx): Promise<OrderChange> => {
      const order = await tx.order.findUnique({ where: { number: number.trim().toUpperCase() }, include: { items: { orderBy: { id: 'asc' } } } });
      if (!order || order.customerId !== customerId) return { ok: false, reason: 'not_found' };
      const decision = plan(order, now);
      if ('refuse' in decision) return { ok: false, reason: decision.refuse, order };
      if ('unchanged' in decision) return { ok: true, order };
      const { action } = decision;
      // Guard against a shipment recorded between the read and the write.
      const updated = await tx.order.updateMany({ where: { id: order.id, status: { in: [...BEFORE_SHIPMENT] } }, data: decision.data });
      if (updated.count !== 1) return { ok: false, reason: 'already_shipped', order };
      await writeAudit(tx, { actor, action, entity: 'Order', entityId: order.id, before: decision.before, after: decision.after });
      // The shop's systems hear of it (issue: the shop integration subscribes); no personal data in the event.
      await this.events.record(tx, [{ type: ORDER_CHANGED, subject: `Order:${order.id}`, payload: { orderId: order.id, number: order.number, action, by: actor } }], now);
      const fresh = await tx.order.findUniqueOrThrow({ where: { id: order.id }, include: { items: { orderBy: { id: 'asc' } } } });
      return { ok: true, order: fresh };
    });
  }
}
