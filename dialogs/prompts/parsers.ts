import type { Choice } from 'botbuilder-dialogs';
import { normalizePhone } from '../../src/crm/contact';
import type { PromptInput } from './kefuPrompt';
import { choiceTitle } from './kefuPrompt';

function same(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The choice an answer picks: a clicked or typed button title (or synonym, or value), an order number
 * among the choices' values, an ordinal ("第二个", "the second one"), a bare number ("2"), or a
 * message that contains exactly one of the titles ("质量问题吧").
 */
export function pickChoice(input: PromptInput): Choice | undefined {
  const { text, choices, recognition } = input;
  if (!text || choices.length === 0) return undefined;
  const exact = choices.find((c) => same(c.value, text) || same(choiceTitle(c), text) || (c.synonyms ?? []).some((s) => same(s, text)));
  if (exact) return exact;

  const entities = recognition?.entities ?? [];
  const numbers = entities.filter((e) => e.type === 'order_number').map((e) => String(e.value));
  const byNumber = choices.find((c) => numbers.includes(c.value.toUpperCase()));
  if (byNumber) return byNumber;

  const ordinal = entities.find((e) => e.type === 'ordinal');
  if (ordinal && typeof ordinal.value === 'number') return choices[ordinal.value - 1];
  const bare = entities.find((e) => e.type === 'number' && e.text.trim() === text.trim());
  if (bare && typeof bare.value === 'number' && Number.isInteger(bare.value)) return choices[bare.value - 1];

  const lower = text.toLowerCase();
  const mentioned = choices.filter((c) => [choiceTitle(c), ...(c.synonyms ?? [])].some((s) => s.length >= 2 && lower.includes(s.toLowerCase())));
  return mentioned.length === 1 ? mentioned[0] : undefined;
}

/** The value of the picked choice. */
export function pickValue(input: PromptInput): string | undefined {
  return pickChoice(input)?.value;
}

export const YES = 'yes';
export const NO = 'no';

/** Yes / no: the buttons (values YES / NO), or a typed yes or no in either language ("好的", "不用了", "sure"). */
export function yesNo(input: PromptInput): boolean | undefined {
  const picked = pickChoice(input);
  if (picked?.value === YES) return true;
  if (picked?.value === NO) return false;
  const answer = input.recognition?.entities.find((e) => e.type === 'boolean');
  return typeof answer?.value === 'boolean' ? answer.value : undefined;
}

/** Free text within bounds (a description, a wish); trimmed. */
export function freeText(min: number, max: number) {
  return (input: PromptInput): string | undefined => {
    const text = input.text.trim();
    if (text.length < min || text.length > max) return undefined;
    // Something to read: letters, Han characters or digits, not only emoji or punctuation.
    return /[\p{L}\p{N}]/u.test(text) ? text : undefined;
  };
}

/** A phone number typed or recognized: Chinese mobile or international (E.164). */
export function parsePhone(input: PromptInput): string | undefined {
  const direct = normalizePhone(input.text);
  if (direct) return direct;
  const entity = input.recognition?.entities.find((e) => e.type === 'phone');
  return entity ? normalizePhone(entity.text) : undefined;
}
