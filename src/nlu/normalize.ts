/** Characters of a message the intent classifiers look at. */
export const CLASSIFY_LIMIT = 500;

/**
 * Text as the intent classifiers see it: NFKC (full-width → half-width), lower case, shop
 * identifiers and contact details replaced by placeholder words so "KF202611250042" and
 * "KF202612010007" look the same to the model, and cut to CLASSIFY_LIMIT characters.
 */
export function normalizeForClassification(text: string): string {
  return text
    .slice(0, CLASSIFY_LIMIT)
    .normalize('NFKC')
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
