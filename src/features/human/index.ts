import { DialogIds } from '../../../dialogs/ids';
import type { Feature, Kernel } from '../feature';
import type { TicketDesk } from '../tickets';
import { HumanDialog } from './humanDialog';

/** "Talk to a person": for now a consultation ticket with its reply time (live handoff comes later). */
export function humanFeature(k: Pick<Kernel, 'dialogBase'> & { tickets: TicketDesk }): Feature {
  return {
    name: 'human',
    dialogs: [new HumanDialog(k.dialogBase, k.tickets)],
    routes: [{ intent: 'human_agent', dialogId: DialogIds.human, menuLabelKey: 'messages.menu.human', menuOrder: 90 }],
  };
}
