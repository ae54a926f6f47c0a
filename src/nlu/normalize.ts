import { Converter } from 'opencc-js/t2cn';

/** Characters of a message the intent classifiers look at. */
export const CLASSIFY_LIMIT = 500;

type ToSimplified = (text: string) => string;
let toSimplified: ToSimplified | undefined;

/**
 * Traditional Chinese (Taiwan and Hong Kong forms included) to Simplified, word by word (OpenCC's
 * dictionaries, offline): "我的訂單到哪裡了" reads as "我的订单到哪里了", so one set of training
 * data serves customers who write 繁體. Built on first use (~0.2 s, so the recognizer's init() calls
 * it); ~0.05 ms a message, and only messages with Han characters pay it.
 */
export function traditionalToSimplified(text: string): string {
  if (!HAN.test(text)) return text;
  const convert = (toSimplified ??= Converter({ from: 'hk', to: 'cn' }));
  return convert(text);
}

const HAN = /\p{Script=Han}/u;

let lastFolded: { text: string; folded: string } | undefined;

/**
 * Text as word lists are matched against it: NFKC, Simplified Chinese, lower case ("什麼時候到" finds
 * "什么时候到"). A turn folds the same message many times (each keyword list asks): the last one is
 * kept (a Chinese message costs about 5 µs a fold).
 */
export function foldText(text: string): string {
  if (lastFolded?.text === text) return lastFolded.folded;
  const folded = traditionalToSimplified(text.normalize('NFKC')).toLowerCase();
  lastFolded = { text, folded };
  return folded;
}

/**
 * Text as the intent classifiers see it: NFKC (full-width → half-width), Simplified Chinese, lower
 * case, shop identifiers and contact details replaced by placeholder words so "KF202611250042" and
 * "KF202612010007" look the same to the model, and cut to CLASSIFY_LIMIT characters.
 */
export function normalizeForClassification(text: string): string {
  return traditionalToSimplified(text.slice(0, CLASSIFY_LIMIT).normalize('NFKC'))
    .toLowerCase()
    .replace(/kf\s?\d{12}/g, ' ordernum ')
    .replace(/(?<![a-z])t\d{12}/g, ' ticketnum ')
    .replace(/[^\s@]+@[^\s@]+\.[a-z]{2,}/g, ' emailaddr ')
    .replace(/\+?\d[\d -]{6,}\d/g, ' phonenum ')
    .replace(/\d{5,}/g, ' num ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when the text has no letter, Han character or digit at all (emoji, punctuation, blanks). */
export function hasNoContent(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text.slice(0, CLASSIFY_LIMIT));
}
