import { MessageFactory, type Activity, type CardAction, type TurnContext } from 'botbuilder';
import { Prompt, type Choice, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import { SUPPORTED_LOCALES, type Locale } from '../../src/config/locales';
import type { I18n, Vars } from '../../src/i18n/i18n';
import { turnInfo, turnRecognition } from '../../src/bot/turnState';
import type { RecognizerResult } from '../../src/nlu/types';

/** A prompt's answer, or the customer's third failed attempt (the dialog then offers a person). */
export type PromptOutcome<T> = { ok: true; value: T } | { ok: false };

/** What a parser sees of the customer's answer. */
export interface PromptInput {
  context: TurnContext;
  text: string;
  locale: Locale;
  /** This turn's recognition (entities: ordinals, numbers, order numbers, phones, yes/no). */
  recognition: RecognizerResult | undefined;
  /** The buttons offered with the question. */
  choices: Choice[];
}

/** Reads an answer; undefined = not an answer (the prompt re-asks with its retry text). */
export type PromptParser<T> = (input: PromptInput) => T | undefined;

export const MAX_PROMPT_ATTEMPTS = 3;

/**
 * The one prompt of the Kefu dialogs: asks with the question text and its buttons (suggested
 * actions, rendered by us in both languages, never the SDK's inline "(1) ... or (2)" list), reads
 * the answer with a parser (typed answers such as "第二个", "the second one" or an order number work
 * as well as the buttons), re-asks with the localized hint, and after MAX_PROMPT_ATTEMPTS failed
 * answers returns { ok: false } so the dialog can offer a person.
 */
export class KefuPrompt<T> extends Prompt<PromptOutcome<T>> {
  constructor(
    dialogId: string,
    private readonly parse: PromptParser<T>,
    maxAttempts = MAX_PROMPT_ATTEMPTS,
  ) {
    // Counting attempts in the validator: the SDK may call onRecognize more than once per turn.
    super(dialogId, async (prompt) => {
      if (prompt.recognized.succeeded) return true;
      if (prompt.attemptCount < maxAttempts) return false;
      prompt.recognized.value = { ok: false };
      return true;
    });
  }

  protected async onPrompt(context: TurnContext, _state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const text = isRetry && options.retryPrompt ? (retryIn(options, turnInfo(context).locale) ?? options.retryPrompt) : options.prompt;
    if (text === undefined) return;
    const choices = (options.choices ?? []).map(asChoice);
    if (typeof text !== 'string') {
      await context.sendActivity(text);
      return;
    }
    await context.sendActivity(choices.length ? withButtons(text, choices) : MessageFactory.text(text));
  }

  protected async onRecognize(context: TurnContext, _state: object, options: PromptOptions): Promise<PromptRecognizerResult<PromptOutcome<T>>> {
    const value = this.parse(promptInput(context, options));
    return value === undefined ? { succeeded: false } : { succeeded: true, value: { ok: true, value } };
  }

  /** True when this turn's message answers the question (the root dialog asks before it treats it as a new topic). */
  understands(context: TurnContext, options: PromptOptions): boolean {
    return this.parse(promptInput(context, options)) !== undefined;
  }
}

/**
 * The re-ask in each language (KefuDialog.retry): a customer who answers in the other language is
 * re-asked in it, not in the language the question was first asked in.
 */
export interface RetryTexts {
  retryByLocale: Partial<Record<Locale, string>>;
}

/** A prompt's `retryPrompt` in `locale`, with the re-ask in every language for a customer who switches. */
export function localizedRetry(i18n: I18n, locale: Locale, key: string, vars: Vars = {}): { retryPrompt: string; validations: RetryTexts } {
  const retryByLocale = Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, i18n.t(l, key, vars)]));
  return { retryPrompt: i18n.t(locale, key, vars), validations: { retryByLocale } };
}

function retryIn(options: PromptOptions, locale: Locale): string | undefined {
  return (options.validations as RetryTexts | undefined)?.retryByLocale?.[locale];
}

function promptInput(context: TurnContext, options: PromptOptions): PromptInput {
  return {
    context,
    text: typeof context.activity.text === 'string' ? context.activity.text.trim() : '',
    locale: turnInfo(context).locale,
    recognition: turnRecognition(context),
    choices: (options.choices ?? []).map(asChoice),
  };
}

function asChoice(c: string | Choice): Choice {
  return typeof c === 'string' ? { value: c } : c;
}

/** The title a choice's button shows. */
export function choiceTitle(choice: Choice): string {
  return choice.action?.title ?? choice.value;
}

/** A message with its choices as suggested-action buttons (imBack: a click sends the title). */
export function withButtons(text: string, choices: (string | Choice)[]): Partial<Activity> {
  return MessageFactory.suggestedActions(buttonActions(choices), text);
}

/** The buttons for these choices (a plain string is a button that sends its own text). */
export function buttonActions(choices: (string | Choice)[]): CardAction[] {
  return choices.map(asChoice).map((c) => c.action ?? { type: 'imBack', title: c.value, value: c.value });
}

/** A choice whose button shows `title` and whose value is `value` (an order number, a topic key...). */
export function button(value: string, title: string, synonyms: string[] = []): Choice {
  return { value, action: { type: 'imBack', title, value: title }, synonyms: [title, ...synonyms] };
}
