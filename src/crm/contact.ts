/**
 * Contact details a customer types in the chat: validated and put in one canonical form before
 * they are stored.
 */

const CN_MOBILE = /^(?:\+?86)?(1[3-9]\d{9})$/;
const INTERNATIONAL = /^\+([1-9]\d{6,14})$/;

/**
 * A phone number: a Chinese mobile (1[3-9] + 9 digits, optionally +86, spaces or dashes) becomes its
 * 11 digits; an international number in E.164 form (+ country code, 7-15 digits) becomes +digits.
 * Anything else is undefined.
 */
export function normalizePhone(input: string): string | undefined {
  const compact = input.normalize('NFKC').trim().replace(/[\s\-()（）.]/g, '');
  const cn = CN_MOBILE.exec(compact);
  if (cn) return cn[1];
  const intl = INTERNATIONAL.exec(compact.replace(/^00/, '+'));
  return intl ? `+${intl[1]}` : undefined;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@.]{2,}$/;

export function normalizeEmail(input: string): string | undefined {
  const email = input.normalize('NFKC').trim().toLowerCase();
  return email.length <= 254 && EMAIL.test(email) ? email : undefined;
}

export const ADDRESS_MIN_LENGTH = 5;
export const ADDRESS_MAX_LENGTH = 200;

/** A delivery address: 5-200 characters with some letters or Han characters in it, on one line. */
export function normalizeAddress(input: string): string | undefined {
  const address = input.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (address.length < ADDRESS_MIN_LENGTH || address.length > ADDRESS_MAX_LENGTH) return undefined;
  return /\p{L}/u.test(address) ? address : undefined;
}
