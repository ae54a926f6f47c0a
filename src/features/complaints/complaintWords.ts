import { foldText } from '../../nlu/normalize';
import { SUPPORTED_LOCALES } from '../../config/locales';
import type { I18n } from '../../i18n/i18n';
import { COMPLAINT_TYPES, type ComplaintType } from '../tickets';
import { pickValue } from '../../../dialogs/prompts/parsers';
import type { PromptInput } from '../../../dialogs/prompts/kefuPrompt';

/** The answer to "what is your complaint about?": its type, and the story when the customer told it instead. */
export interface ComplaintAnswer {
  type: ComplaintType;
  story?: string;
  /** The kind was in the message that started the complaint (no question was asked). */
  unasked?: boolean;
}

const WORDED = COMPLAINT_TYPES.filter((t) => t !== 'other');

/**
 * The kind of a complaint from the customer's own words (complaints.typeWords, both languages):
 * "客服态度太差" is about the service, "快递员把包裹扔在门口" about the delivery. A message with the
 * words of two kinds, or none, has no kind (the customer is asked).
 */
export class ComplaintWords {
  private readonly words: [ComplaintType, string[]][];

  constructor(i18n: I18n) {
    this.words = WORDED.map((type) => [type, SUPPORTED_LOCALES.flatMap((l) => i18n.list(l, `complaints.typeWords.${type}`)).map((w) => w.toLowerCase())]);
  }

  typeOf(text: string): ComplaintType | undefined {
    const lower = foldText(text);
    const found = this.words.filter(([, words]) => words.some((w) => (/^[a-z' ]+$/.test(w) ? new RegExp(`\\b${w}\\b`).test(lower) : lower.includes(w))));
    return found.length === 1 ? found[0][0] : undefined;
  }

  /**
   * A button or a kind's name; or the story itself ("昨天打电话没人接"), whose words say its kind, or
   * which names a kind ("the delivery was late and the item is broken": the delivery) and is kept.
   */
  parser(): (input: PromptInput) => ComplaintAnswer | undefined {
    return (input) => {
      const picked = pickValue(input) as ComplaintType | undefined;
      if (picked && !isSentence(input.text)) return { type: picked };
      const type = this.typeOf(input.text) ?? picked;
      return type ? { type, story: input.text } : undefined;
    };
  }
}

/** More than a kind's name: a few words, or a phrase of Chinese. */
function isSentence(text: string): boolean {
  return text.trim().split(/\s+/).length > 3 || (text.match(/\p{Script=Han}/gu)?.length ?? 0) > 6;
}
