import type { Feature, Kernel } from '../feature';
import type { CustomerRights } from '../privacy';
import { AccountDialogIds } from './ids';
import { LanguageDialog } from './languageDialog';
import { MyDataDialog } from './myDataDialog';

/** The customer's own data: see and correct it, withdraw consent, ask for a copy or its deletion (change requests); and their language. */
export function accountFeature(k: Pick<Kernel, 'dialogBase' | 'i18n' | 'customers' | 'directory'> & { rights: CustomerRights }): Feature {
  return {
    name: 'account',
    dialogs: [
      new MyDataDialog(k.dialogBase, k.customers, k.rights),
      new LanguageDialog(k.i18n, k.customers, (customerId, locale) => k.directory.setCustomerLocaleForCustomer(customerId, locale)),
    ],
    routes: [
      { intent: 'account_privacy', dialogId: AccountDialogIds.myData, menuLabelKey: 'account.menu.myData', menuOrder: 75 },
      { intent: 'language', dialogId: AccountDialogIds.language, menuLabelKey: 'account.menu.language', menuOrder: 100 },
    ],
  };
}
