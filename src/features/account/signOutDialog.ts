import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { turnInfo } from '../../bot/turnState';
import type { I18n } from '../../i18n/i18n';
import { AccountDialogIds } from './ids';

/**
 * "退出登录" / "sign out" typed in the chat: the conversation's shop sign-in ends now (audit-logged), as
 * the page's sign-out does (POST /webchat/api/signout); orders and personal data need a new sign-in.
 */
export class SignOutDialog extends ComponentDialog {
  constructor(
    private readonly i18n: I18n,
    private readonly signOut: (conversationId: string) => Promise<boolean>,
  ) {
    super(AccountDialogIds.signOut);
    this.addDialog(new WaterfallDialog(AccountDialogIds.signOutWaterfall, [this.signOutStep.bind(this)]));
    this.initialDialogId = AccountDialogIds.signOutWaterfall;
  }

  private async signOutStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { locale, verified, conversationId } = turnInfo(step.context);
    const ended = verified && (await this.signOut(conversationId));
    await step.context.sendActivity(this.i18n.t(locale, ended ? 'account.signOut.done' : 'account.signOut.notSignedIn'));
    return step.endDialog();
  }
}
