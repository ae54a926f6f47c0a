import { MessageFactory, type Activity } from 'botbuilder';
import { supportsSuggestedActions } from 'botbuilder-dialogs';
import type { Locale } from '../../config/locales';
import type { I18n, Vars } from '../../i18n/i18n';
import { LONG_FORM, type LongFormItem } from './longForm';

export const SURVEY_TRIGGERS = ['ticket_resolved', 'task_finished', 'handoff_ended', 'followup_visit', 'manual'] as const;
export type SurveyTrigger = (typeof SURVEY_TRIGGERS)[number];

/** The survey's questions as the customer reads them: buttons where the channel has them, numbered text elsewhere. */
export class SurveyTexts {
  constructor(private readonly i18n: I18n) {}

  t(locale: Locale, key: string, vars: Vars = {}): string {
    return this.i18n.t(locale, `surveys.${key}`, vars);
  }

  /** The CSAT question: five labelled buttons (1 = very dissatisfied ... 5 = very satisfied), or a numbered list. */
  question(locale: Locale, channelId: string, trigger: SurveyTrigger, vars: Vars): Partial<Activity> {
    return this.rated(locale, channelId, this.t(locale, `question.${trigger}`, vars));
  }

  /** A question of the follow-up visit's longer form, "(2/4) ...", after the visit's greeting for the first. */
  item(locale: Locale, channelId: string, item: LongFormItem, vars: Vars = {}): Partial<Activity> {
    const count = LONG_FORM.length;
    const question = `${this.t(locale, 'longForm.progress', { n: LONG_FORM.indexOf(item) + 1, count })}${this.t(locale, `longForm.questions.${item}`)}`;
    return this.rated(locale, channelId, item === LONG_FORM[0] ? `${this.t(locale, 'longForm.intro', { ...vars, count })}\n\n${question}` : question);
  }

  /** A 1-5 question: five labelled buttons, or a numbered list where the channel has none. */
  private rated(locale: Locale, channelId: string, question: string): Partial<Activity> {
    const labels = [1, 2, 3, 4, 5].map((n) => this.t(locale, `scale.${n}`));
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
