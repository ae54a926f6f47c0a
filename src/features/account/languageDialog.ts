import { ChoicePrompt, ComponentDialog, ListStyle, WaterfallDialog, type Choice, type DialogTurnResult, type FoundChoice, type WaterfallStepContext } from 'botbuilder-dialogs';
import { SUPPORTED_LOCALES, type Locale } from '../../config/locales';
import type { CustomerService } from '../../crm/customers';
import type { I18n } from '../../i18n/i18n';
import { setTurnLocale, turnInfo } from '../../bot/turnState';
import { AccountDialogIds } from './ids';
import { classifier } from '../../../dialogs/prompts/parsers';

export interface LanguageDialogResult {
  locale: Locale;
}

/**
 * Asks which language the customer prefers and saves it on their record (audit-logged); later
 * turns without a channel locale use it.
 */
export class LanguageDialog extends ComponentDialog {
  constructor(
    private readonly i18n: I18n,
    private readonly customers: CustomerService,
    private readonly onLocaleSaved: (customerId: string, locale: Locale) => void = () => undefined,
  ) {
    super(AccountDialogIds.language);
    const prompt = new ChoicePrompt(AccountDialogIds.languagePrompt);
    prompt.style = ListStyle.suggestedAction;
    this.addDialog(prompt);
    this.addDialog(new WaterfallDialog(AccountDialogIds.languageWaterfall, [this.askStep.bind(this), this.saveStep.bind(this)]));
    this.initialDialogId = AccountDialogIds.languageWaterfall;
    this.named = classifier(i18n, Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, `account.language.targets.${l}`])));
  }

  private choices(locale: Locale): Choice[] {
    return SUPPORTED_LOCALES.map((l) => ({
      value: l,
      action: { type: 'imBack', title: this.i18n.t(locale, `account.language.choices.${l}`), value: this.i18n.t(locale, `account.language.choices.${l}`) },
      synonyms: [this.i18n.t(locale, `account.language.choices.${l}`), l, l.slice(0, 2)],
    }));
  }

  /** The one language the message names ("switch to Chinese", "说英文"), if it names one (account.language.targets). */
  private readonly named: (text: string) => string | undefined;

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { locale } = turnInfo(step.context);
    const named = SUPPORTED_LOCALES.find((l) => l === this.named(step.context.activity.text ?? ''));
    if (named) return step.next({ value: named, index: SUPPORTED_LOCALES.indexOf(named), score: 1 } satisfies FoundChoice);
    return step.prompt(AccountDialogIds.languagePrompt, {
      prompt: this.i18n.t(locale, 'account.language.prompt'),
      retryPrompt: this.i18n.t(locale, 'account.language.retry'),
      choices: this.choices(locale),
    });
  }

  private async saveStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const chosen = (step.result as FoundChoice).value as Locale;
    const { customerId, savedLocale } = turnInfo(step.context);
    if (savedLocale !== chosen) {
      await this.customers.setLocale(customerId, chosen, { type: 'customer', id: customerId });
      this.onLocaleSaved(customerId, chosen);
    }
    setTurnLocale(step.context, chosen);
    await step.context.sendActivity(this.i18n.t(chosen, 'account.language.saved'));
    const result: LanguageDialogResult = { locale: chosen };
    return step.endDialog(result);
  }
}
