import type { TurnContext } from 'botbuilder';
import { ComponentDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Locale } from '../src/config/locales';
import { turnInfo } from '../src/bot/turnState';
import type { I18n, Vars } from '../src/i18n/i18n';
import { formatDate, formatDateTime } from './format';
import { button, localizedRetry, withButtons, type RetryTexts } from './prompts/kefuPrompt';

/** How a first-line dialog ended. */
export type DialogOutcome = 'done' | 'refused' | 'declined' | 'gave_up' | 'sign_in_required';

/** What every first-line dialog returns to the router. */
export interface KefuDialogResult {
  outcome: DialogOutcome;
  ticketNumber?: string;
  orderNumber?: string;
}

/** What every first-line dialog needs besides its services. */
export interface DialogBase {
  i18n: I18n;
  /** The shop's time zone: every date the customer reads is in it. */
  timeZone: string;
  /** Where the customer signs in to the shop. */
  signInUrl: string;
  clock?: () => Date;
}

/** The common ground of the first-line dialogs: texts, dates, the sign-in gate and the "offer a person" exit. */
export abstract class KefuDialog extends ComponentDialog {
  protected constructor(
    dialogId: string,
    protected readonly base: DialogBase,
  ) {
    super(dialogId);
  }

  protected locale(context: TurnContext): Locale {
    return turnInfo(context).locale;
  }

  protected t(context: TurnContext, key: string, vars: Vars = {}): string {
    return this.base.i18n.t(this.locale(context), key, vars);
  }

  /** A prompt's re-ask (`retryPrompt`), in the turn's language and in each other one (the customer may answer in another language). */
  protected retry(context: TurnContext, key: string, vars: Vars = {}): { retryPrompt: string; validations: RetryTexts } {
    return localizedRetry(this.base.i18n, this.locale(context), key, vars);
  }

  protected async say(context: TurnContext, key: string, vars: Vars = {}): Promise<void> {
    await context.sendActivity(this.t(context, key, vars));
  }

  protected now(): Date {
    return this.base.clock?.() ?? new Date();
  }

  protected dateTime(context: TurnContext, at: Date): string {
    return formatDateTime(at, this.locale(context), this.base.timeZone);
  }

  protected date(context: TurnContext, at: Date): string {
    return formatDate(at, this.locale(context), this.base.timeZone);
  }

  /** The "talk to a person" button (its title routes to the handoff from the menu). */
  protected humanButton(context: TurnContext) {
    const title = this.t(context, 'messages.menu.human');
    return button('human', title);
  }

  /** After three answers the bot could not use: apologise, offer a person, end the dialog. */
  protected async giveUp(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await step.context.sendActivity(withButtons(this.t(step.context, 'dialogs.common.giveUp'), [this.humanButton(step.context)]));
    const result: KefuDialogResult = { outcome: 'gave_up' };
    return step.endDialog(result);
  }

  /** Orders, tickets and personal data are only for customers signed in with the shop. */
  protected async requireSignIn(step: WaterfallStepContext): Promise<DialogTurnResult | undefined> {
    const info = turnInfo(step.context);
    if (info.verified) return undefined;
    const locale = this.locale(step.context);
    const name = info.signInEnded ? 'signInAgain' : 'signInRequired';
    const key = this.base.i18n.has(locale, `webchat.${name}`) ? `webchat.${name}` : `dialogs.${name}`;
    await this.say(step.context, key, { url: this.base.signInUrl });
    const result: KefuDialogResult = { outcome: 'sign_in_required' };
    return step.endDialog(result);
  }

  /** Keeps a value for the later steps of this dialog (dialog state: JSON, so dates as ISO strings). */
  protected remember(step: WaterfallStepContext, key: string, value: unknown): void {
    (step.values as Record<string, unknown>)[key] = value;
  }

  protected recall<T>(step: WaterfallStepContext, key: string): T {
    return (step.values as Record<string, unknown>)[key] as T;
  }

  protected end(step: WaterfallStepContext, result: KefuDialogResult): Promise<DialogTurnResult> {
    return step.endDialog(result);
  }
}
