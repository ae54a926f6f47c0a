import { MessageFactory, type Activity } from 'botbuilder';
import { supportsSuggestedActions } from 'botbuilder-dialogs';
import type { Locale } from '../../config/locales';
import type { I18n, Vars } from '../../i18n/i18n';

export const SURVEY_TRIGGERS = ['ticket_resolved', 'task_finished', 'handoff_ended', 'manual'] as const;
export type SurveyTrigger = (typeof SURVEY_TRIGGERS)[number];

/** The survey's questions as the customer reads them: buttons where the channel has them, numbered text elsewhere. */
export class SurveyTexts {
  constructor(private readonly i18n: I18n) {}

  t(locale: Locale, key: string, vars: Vars = {}): string {
    return this.i18n.t(locale, `surveys.${key}`, vars);
  }

  /** The CSAT question: five labelled buttons (1 = very dissatisfied ... 5 = very satisfied), or a numbered list. */
  question(locale: Locale, channelId: string, trigger: SurveyTrigger, vars: Vars): Partial<Activity> {
    const labels = [1, 2, 3, 4, 5].map((n) => this.t(locale, `scale.${n}`));
    const question = this.t(locale, `question.${trigger}`, vars);
    if (supportsSuggestedActions(channelId, labels.length)) {
      return MessageFactory.suggestedActions(labels, `${question}\n\n${this.t(locale, 'howToAnswer')}`);
    }
    const list = labels.map((label, i) => this.t(locale, 'numbered', { n: i + 1, label })).join('\n');
    return MessageFactory.text(`${question}\n\n${this.t(locale, 'howToAnswerNumbered')}\n${list}`);
  }

  /** The 0-10 question: eleven buttons where the channel has them. */
  nps(locale: Locale, channelId: string): Partial<Activity> {
    const numbers = Array.from({ length: 11 }, (_, i) => String(i));
    const text = this.t(locale, 'askNps');
    return supportsSuggestedActions(channelId, numbers.length) ? MessageFactory.suggestedActions(numbers, text) : MessageFactory.text(text);
  }

  /** "Anything else?" with a Skip button. */
  comment(locale: Locale, channelId: string): Partial<Activity> {
    const text = this.t(locale, 'askComment');
    return supportsSuggestedActions(channelId, 1) ? MessageFactory.suggestedActions([this.t(locale, 'skip')], text) : MessageFactory.text(text);
  }
}
