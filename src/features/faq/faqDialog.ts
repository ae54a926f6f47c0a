import type { TurnContext } from 'botbuilder';
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { turnRecognition } from '../../bot/turnState';
import type { I18n, Vars } from '../../i18n/i18n';
import { PromptIds } from '../../../dialogs/ids';
import { FaqDialogIds } from './ids';
import { KefuDialog, type DialogBase } from '../../../dialogs/kefuDialog';
import { KefuPrompt, button, withButtons, type PromptOutcome } from '../../../dialogs/prompts/kefuPrompt';
import { pickValue } from '../../../dialogs/prompts/parsers';
import type { DialogRoute } from '../../../dialogs/routes';

export interface FaqDialogOptions {
  /** The topic (a key under faq.topics in locales/<locale>/faq.json); read from the message when not given. */
  topic?: string;
}

export interface FaqDialogDeps {
  /** Values the answers may use: {days} {fee} {gold} {diamond} {estimate} {open} {close}. */
  vars: Vars;
}

/** The intents whose questions the FAQ answers, and the topic each starts with when the message names none. */
const TOPIC_OF_INTENT: Record<string, string> = { shipping_info: 'shipping', payment_issue: 'payment' };

/** The FAQ topics, in file order (locales/<locale>/faq.json, "topics"). */
export function faqTopics(i18n: I18n): string[] {
  return i18n
    .keys('zh-CN')
    .map((k) => /^faq\.topics\.(\w+)\.title$/.exec(k)?.[1])
    .filter((t): t is string => t !== undefined);
}

/** Each topic's title is a clickable label (follow-up buttons) that opens the FAQ on that topic. */
export function faqRoutes(i18n: I18n): DialogRoute[] {
  return faqTopics(i18n).map((topic) => {
    const options: FaqDialogOptions = { topic };
    return { intent: `faq.${topic}`, dialogId: FaqDialogIds.faq, menuLabelKey: `faq.topics.${topic}.title`, inMenu: false, options };
  });
}

/**
 * Answers the shop's common questions (shipping, payment, invoices, returns, membership) from
 * editable content in locales/<locale>/faq.json, each answer with follow-up suggestions.
 */
export class FaqDialog extends KefuDialog {
  private readonly topics: string[];

  constructor(
    base: DialogBase,
    private readonly deps: FaqDialogDeps,
  ) {
    super(FaqDialogIds.faq, base);
    this.topics = faqTopics(base.i18n);
    this.addDialog(new KefuPrompt(PromptIds.choice, pickValue));
    this.addDialog(new WaterfallDialog(FaqDialogIds.faqWaterfall, [this.topicStep.bind(this), this.answerStep.bind(this)]));
    this.initialDialogId = FaqDialogIds.faqWaterfall;
  }

  private async topicStep(step: WaterfallStepContext<FaqDialogOptions>): Promise<DialogTurnResult> {
    const topic = step.options?.topic ?? this.topicOf(step.context);
    if (topic && this.topics.includes(topic)) {
      const given: PromptOutcome<string> = { ok: true, value: topic };
      return step.next(given);
    }
    return step.prompt(PromptIds.choice, {
      prompt: this.t(step.context, 'faq.ask'),
      ...this.retry(step.context, 'dialogs.common.pickRetry'),
      choices: this.topics.map((t) => button(t, this.t(step.context, `faq.topics.${t}.title`))),
    });
  }

  private async answerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as PromptOutcome<string>;
    if (!answer.ok) return this.giveUp(step);
    const topic = answer.value;
    const followUps = this.base.i18n.list(this.locale(step.context), `faq.topics.${topic}.followUps`).filter((t) => this.topics.includes(t));
    const text = this.t(step.context, `faq.topics.${topic}.answer`, this.deps.vars);
    // A topic's actions (menu labels: "退换货", "维修") come first: a click starts that request.
    const locale = this.locale(step.context);
    const actions = this.base.i18n.has(locale, `faq.topics.${topic}.actions`) ? this.base.i18n.list(locale, `faq.topics.${topic}.actions`).map((key) => this.t(step.context, key)) : [];
    const buttons = [...actions, ...followUps.map((t) => this.t(step.context, `faq.topics.${t}.title`)), this.t(step.context, 'messages.menu.human')];
    await step.context.sendActivity(withButtons(text, buttons));
    return this.end(step, { outcome: 'done' });
  }

  /**
   * The topic the message names (the locale file's keywords; the longest keyword said wins, so
   * "退货运费" is the return policy, not shipping's "运费"), else the one its intent implies.
   */
  private topicOf(context: TurnContext): string | undefined {
    const text = (context.activity.text ?? '').toLowerCase();
    const locale = this.locale(context);
    let named: { topic: string; length: number } | undefined;
    for (const topic of this.topics) {
      for (const k of this.base.i18n.list(locale, `faq.topics.${topic}.keywords`)) {
        if (text.includes(k.toLowerCase()) && k.length > (named?.length ?? 0)) named = { topic, length: k.length };
      }
    }
    if (named) return named.topic;
    const intent = turnRecognition(context)?.intent;
    return intent ? TOPIC_OF_INTENT[intent] : undefined;
  }
}
