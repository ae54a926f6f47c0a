import type { Feature, Kernel } from '../feature';
import type { TicketDesk } from '../tickets';
import { ComplaintDialog } from './complaintDialog';
import { ComplaintDialogIds } from './ids';

/** Complaints: what happened and what the customer wants, as a complaint ticket (a solution within 48 h). */
export function complaintsFeature(k: Pick<Kernel, 'dialogBase'> & { tickets: TicketDesk }): Feature {
  return {
    name: 'complaints',
    dialogs: [new ComplaintDialog(k.dialogBase, k.tickets)],
    routes: [{ intent: 'complaint', dialogId: ComplaintDialogIds.complaint, menuLabelKey: 'complaints.menu', menuOrder: 60 }],
  };
}
