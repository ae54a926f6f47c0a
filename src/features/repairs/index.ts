import type { Feature, Kernel } from '../feature';
import type { OrderLookup } from '../orders';
import type { TicketDesk } from '../tickets';
import { RepairDialogIds } from './ids';
import { RepairDialog } from './repairDialog';

/** Repairs: the product, the problem and a phone number, as a repair ticket (contact within 2 working days). */
export function repairsFeature(k: Pick<Kernel, 'dialogBase' | 'customers'> & { pickLimit: number; orders: OrderLookup; tickets: TicketDesk }): Feature {
  return {
    name: 'repairs',
    dialogs: [new RepairDialog(k.dialogBase, { orders: k.orders, customers: k.customers, tickets: k.tickets, pickLimit: k.pickLimit })],
    routes: [{ intent: 'repair_request', dialogId: RepairDialogIds.repair, menuLabelKey: 'repairs.menu', menuOrder: 50 }],
  };
}
