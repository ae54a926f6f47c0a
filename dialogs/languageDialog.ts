import { ChoicePrompt, ComponentDialog, ListStyle, WaterfallDialog, type Choice, type DialogTurnResult, type FoundChoice, type WaterfallStepContext } from 'botbuilder-dialogs';
import { SUPPORTED_LOCALES, type Locale } from '../src/config/config';
import type { CustomerService } from '../src/crm/customers';
import type { I18n } from '../src/i18n/i18n';
import { setTurnLocale, turnInfo } from '../src/bot/turnState';
import { DialogIds } from './ids';

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
    super(DialogIds.language);
    const prompt = new ChoicePrompt(DialogIds.languagePrompt);
    prompt.style = ListStyle.suggestedAction;
    this.addDialog(prompt);
    this.addDialog(new WaterfallDialog(DialogIds.languageWaterfall, [this.askStep.bind(this), this.saveStep.bind(this)]));
    this.initialDialogId = DialogIds.languageWaterfall;
  }

  private choices(locale: Locale): Choice[] {
    return SUPPORTED_LOCALES.map((l) => ({
      value: l,
      action: { type: 'imBack', title: this.i18n.t(locale, `messages.language.choices.${l}`), value: this.i18n.t(locale, `messages.language.choices.${l}`) },
      synonyms: [this.i18n.t(locale, `messages.language.choices.${l}`), l, l.slice(0, 2)],
    }));
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { locale } = turnInfo(step.context);
    return step.prompt(DialogIds.languagePrompt, {
      prompt: this.i18n.t(locale, 'messages.language.prompt'),
      retryPrompt: this.i18n.t(locale, 'messages.language.retry'),
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
    await step.context.sendActivity(this.i18n.t(chosen, 'messages.language.saved'));
    const result: LanguageDialogResult = { locale: chosen };
    return step.endDialog(result);
  }
}
