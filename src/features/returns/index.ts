import type { DialogRoute } from '../../../dialogs/routes';
import type { Feature, Kernel } from '../feature';
import type { OrderLookup } from '../orders';
import type { TicketDesk } from '../tickets';
import type { ReturnsConfig } from './config';
import { ReturnDialogIds } from './ids';
import { ReturnDialog, type ReturnDialogOptions } from './returnDialog';

const returnOptions: ReturnDialogOptions = { kind: 'return' };
const exchangeOptions: ReturnDialogOptions = { kind: 'exchange' };

const ROUTES: DialogRoute[] = [
  { intent: 'returns', dialogId: ReturnDialogIds.returns, menuLabelKey: 'returns.menu', menuOrder: 40 },
  { intent: 'return_request', dialogId: ReturnDialogIds.returns, options: returnOptions },
  { intent: 'exchange_request', dialogId: ReturnDialogIds.returns, options: exchangeOptions },
];

/** Returns and exchanges within the return window, with the handbook's shipping rules, as tickets. */
export function returnsFeature(
  k: Pick<Kernel, 'dialogBase'> & { config: ReturnsConfig & { ORDER_PICK_LIMIT: number }; orders: OrderLookup; tickets: TicketDesk },
): Feature {
  const dialog = new ReturnDialog(k.dialogBase, {
    orders: k.orders,
    tickets: k.tickets,
    pickLimit: k.config.ORDER_PICK_LIMIT,
    windowDays: k.config.RETURN_WINDOW_DAYS,
    returnShippingFen: Math.round(k.config.RETURN_SHIPPING_FEE_YUAN * 100),
  });
  return { name: 'returns', dialogs: [dialog], routes: ROUTES };
}
