import type { Order as OrderRow, OrderItem as OrderItemRow, RowFits } from '../../store/records';

/**
 * Orders as the order features, the dialogs, returns, loyalty and the shop's feed see them: the
 * domain's own types, not the generated client's (the store's rows fit them: see the checks below).
 */

/** An order's state, following the shop's events: created, paid, shipped, delivered; or cancelled, returned. */
export type OrderStatus = 'CREATED' | 'PAID' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED' | 'RETURNED';

/** An order (amounts in fen, 1/100 yuan). */
export interface Order {
  id: string;
  /** The order number customers see, e.g. KF202611250042. */
  number: string;
  customerId: string;
  status: OrderStatus;
  currency: string;
  /** Amounts in fen (1/100 yuan). */
  itemsTotal: number;
  shippingFee: number;
  discount: number;
  total: number;
  paymentMethod: string | null;
  shippingName: string;
  shippingPhone: string;
  shippingAddress: string;
  carrier: string | null;
  trackingNumber: string | null;
  createdAt: Date;
  paidAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  cancelledAt: Date | null;
  returnedAt: Date | null;
  /** Refunded in fen (per-item refunds from the shop add up here). */
  refundedTotal: number;
  /** The customer asked to cancel a paid order; the shop confirms (order.cancelled) or refuses. */
  cancelRequestedAt: Date | null;
  /** When the shop's last applied order status event happened (an older one never overwrites it). */
  shopUpdatedAt: Date | null;
  updatedAt: Date;
}

/** A line of an order. */
export interface OrderItem {
  id: string;
  orderId: string;
  sku: string;
  name: string;
  nameEn: string | null;
  quantity: number;
  /** Unit price in fen. */
  unitPrice: number;
  /** Units the shop reported returned, and the amount refunded for this item (fen). */
  returnedQuantity: number;
  refundedAmount: number;
}

/** An order with its lines, as the order dialogs read it. */
export type OrderWithItems = Order & { items: OrderItem[] };

/** The store's rows are these types (a model change that breaks them fails the type check here). */
export type OrderRowsFit = [RowFits<OrderRow, Order>, RowFits<OrderItemRow, OrderItem>];
