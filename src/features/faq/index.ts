import type { Vars } from '../../i18n/i18n';
import type { Feature, Kernel } from '../feature';
import { FaqDialog, faqRoutes } from './faqDialog';
import { FaqDialogIds } from './ids';

/**
 * The shop's common questions (shipping, payment, invoices, returns, membership), answered from
 * locales/<locale>/faq.json. `vars` fills the answers' {placeholders} from the configuration.
 */
export function faqFeature(k: Pick<Kernel, 'dialogBase' | 'i18n'> & { vars: Vars }): Feature {
  return {
    name: 'faq',
    dialogs: [new FaqDialog(k.dialogBase, { vars: k.vars })],
    routes: [
      { intent: 'faq', dialogId: FaqDialogIds.faq, menuLabelKey: 'faq.menu', menuOrder: 70 },
      { intent: 'shipping_info', dialogId: FaqDialogIds.faq },
      { intent: 'payment_issue', dialogId: FaqDialogIds.faq },
      ...faqRoutes(k.i18n),
    ],
  };
}
