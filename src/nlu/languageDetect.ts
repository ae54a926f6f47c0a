import type { Locale } from './types';

const HAN = /\p{Script=Han}/gu;
/** Latin words of two letters or more: a lone letter ("x", an answer "a") says nothing about the language. */
const LATIN_WORD = /[a-z]{2,}(?:'[a-z]+)?/gi;
/** Shop identifiers and tokens that say nothing about the language. */
const NEUTRAL = /\b(?:kf\d{6,}|t\d{8,}|ok|okay|hi|hey|thx|lol|vip|app|id|no\.?)\b/gi;

/**
 * Detects whether one message is Chinese or English.
 * - Any Han characters weigh one each, Latin words one each: "我的order到哪了" (5 Han, 1 word) is zh-CN.
 * - Messages with neither (digits, emoji, punctuation, an order number alone, "ok") fall back to
 *   the hint (the conversation's locale), then zh-CN.
 */
export function detectLanguage(text: string, hint?: Locale): Locale {
  const fallback: Locale = hint ?? 'zh-CN';
  const sample = text.length > 2000 ? text.slice(0, 2000) : text;
  const han = sample.match(HAN)?.length ?? 0;
  const words = sample.replace(NEUTRAL, ' ').match(LATIN_WORD)?.length ?? 0;
  if (han === 0 && words === 0) return fallback;
  if (han === 0) return 'en-US';
  if (words === 0) return 'zh-CN';
  // Mixed: a Chinese sentence with an English word or two is Chinese; an English sentence quoting
  // a Chinese product name is English.
  return han >= words ? 'zh-CN' : 'en-US';
}
