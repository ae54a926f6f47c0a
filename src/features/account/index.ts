import type { Feature, Kernel } from '../feature';
import type { CustomerRights } from '../privacy';
import { AccountDialogIds } from './ids';
import { LanguageDialog } from './languageDialog';
import { MyDataDialog } from './myDataDialog';
import { SignOutDialog } from './signOutDialog';

/** The customer's own data: see and correct it, withdraw consent, ask for a copy or its deletion (change requests); their language; signing out of the chat. */
export function accountFeature(k: Pick<Kernel, 'dialogBase' | 'i18n' | 'customers' | 'directory'> & { rights: CustomerRights }): Feature {
  return {
    name: 'account',
    dialogs: [
      new MyDataDialog(k.dialogBase, k.customers, k.rights),
      new LanguageDialog(k.i18n, k.customers, (customerId, locale) => k.directory.setCustomerLocaleForCustomer(customerId, locale)),
      new SignOutDialog(k.i18n, (conversationId) => k.directory.signOutById(conversationId, k.dialogBase.clock?.() ?? new Date())),
    ],
    routes: [
      { intent: 'account_privacy', dialogId: AccountDialogIds.myData, menuLabelKey: 'account.menu.myData', menuOrder: 75 },
      { intent: 'language', dialogId: AccountDialogIds.language, menuLabelKey: 'account.menu.language', menuOrder: 100 },
      // Typed only (account.keywords.sign_out, the whole message): no menu button.
      { intent: 'sign_out', dialogId: AccountDialogIds.signOut },
    ],
  };
}
