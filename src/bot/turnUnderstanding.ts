import { ActivityTypes, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { Locale } from '../config/locales';
import { detectLanguage } from '../nlu/languageDetect';
import type { Recognizer, RecognizerResult } from '../nlu/types';
import { setTurnLocale, setTurnRecognition, turnInfo } from './turnState';

/** What the bot keeps about a conversation between turns (ConversationState, StateProperties.conversation). */
export interface ConversationMemory {
  /** The conversation's current language: the last language the customer's text decided. */
  locale?: Locale;
  /** Messages in a row the bot did not understand (reset by any understood one). */
  misses?: number;
}

/**
 * Recognizes each message once per turn (dialogs read the result through turnRecognition()) and
 * settles the turn's language: the language the message is written in when its text decides it,
 * otherwise the conversation's current language, and on the very first turn what the middleware
 * resolved (the activity's locale, the customer's saved preference, DEFAULT_LOCALE).
 */
export class TurnUnderstanding {
  constructor(
    private readonly recognizer: Recognizer,
    private readonly timezone: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async understand(context: TurnContext, memory: StatePropertyAccessor<ConversationMemory>): Promise<RecognizerResult | undefined> {
    const saved = await memory.get(context, {});
    const current = saved.locale ?? turnInfo(context).locale;
    setTurnLocale(context, current);
    if (context.activity.type !== ActivityTypes.Message) return undefined;
    const text = typeof context.activity.text === 'string' ? context.activity.text : '';
    // The recognizer falls back to the hint when the text does not decide (digits, order numbers, emoji).
    const result = await this.recognizer.recognize(text, { locale: current, now: this.clock(), timezone: this.timezone });
    setTurnRecognition(context, result);
    setTurnLocale(context, languageOf(text, result, current));
    return result;
  }

  /** Keeps the turn's final language (a language the customer chose in a dialog included) for the next turns. */
  async remember(context: TurnContext, memory: StatePropertyAccessor<ConversationMemory>): Promise<void> {
    const saved = await memory.get(context, {});
    const locale = turnInfo(context).locale;
    if (saved.locale !== locale) await memory.set(context, { ...saved, locale });
  }
}

const URL = /\bhttps?:\/\/\S+|\bwww\.\S+/gi;

/**
 * The language the customer wrote in: e-mail addresses and links say nothing about it (a Chinese
 * customer typing "new.name@example.com" keeps Chinese), and when nothing else decides, the
 * conversation's current language stays.
 */
export function languageOf(text: string, result: RecognizerResult, current: Locale): Locale {
  let rest = text.replace(URL, ' ');
  for (const e of [...result.entities].filter((x) => x.type === 'email').sort((a, b) => b.start - a.start)) {
    rest = rest.slice(0, e.start) + ' '.repeat(e.end - e.start) + rest.slice(e.end);
  }
  if (rest === text) return result.locale;
  return detectLanguage(rest, current);
}
