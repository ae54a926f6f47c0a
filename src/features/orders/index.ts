import type { DialogRoute } from '../../../dialogs/routes';
import type { Feature, Kernel } from '../feature';
import { CancelOrderDialog } from './cancelOrderDialog';
import { ChangeAddressDialog } from './changeAddressDialog';
import type { OrdersConfig } from './config';
import { OrderDialogIds } from './ids';
import { OrderService } from './orderService';
import { OrderStatusDialog } from './orderStatusDialog';

export { ORDER_CHANGED, OrderService, returnWindow } from './orderService';
export type { Order, OrderItem, OrderStatus, OrderWithItems } from './types';
export { OrderDialog, itemNames, orderNumberIn, saidChoice, type OrderDialogOptions, type OrderLookup } from './orderDialog';

export interface OrdersFeature extends Feature {
  /** The customer's orders (reads scoped to the customer, audited changes), for other features. */
  orders: OrderService;
}

const ROUTES: DialogRoute[] = [
  { intent: 'order_status', dialogId: OrderDialogIds.status, menuLabelKey: 'orders.menu.orderStatus', menuOrder: 10, lookup: true, entity: 'order_number' },
  { intent: 'cancel_order', dialogId: OrderDialogIds.cancel, menuLabelKey: 'orders.menu.cancelOrder', menuOrder: 20 },
  { intent: 'change_order', dialogId: OrderDialogIds.changeAddress, menuLabelKey: 'orders.menu.changeAddress', menuOrder: 30 },
];

/** Orders in chat: where is my order, cancel it or change its address before it ships. */
export function ordersFeature(k: Pick<Kernel, 'store' | 'events' | 'dialogBase' | 'clock'> & { config: OrdersConfig }): OrdersFeature {
  const orders = new OrderService(k.store.db, k.events, k.clock);
  const pickLimit = k.config.ORDER_PICK_LIMIT;
  return {
    name: 'orders',
    orders,
    dialogs: [
      new OrderStatusDialog(k.dialogBase, { orders, pickLimit, deliveryEstimateDays: k.config.DELIVERY_ESTIMATE_DAYS }),
      new CancelOrderDialog(k.dialogBase, orders, pickLimit),
      new ChangeAddressDialog(k.dialogBase, orders, pickLimit),
    ],
    routes: ROUTES,
  };
}
