import { z } from 'zod';

/**
 * Field rules shared by the HTTP APIs' schemas, for what a careless or hostile client sends that
 * plain `z.string()` lets through and the store then refuses (a 500) or silently bends.
 */

/** Half of a surrogate pair: no character at all (PostgreSQL refuses it, as it refuses a NUL byte). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const NUL = '\u0000';

/** Whether `s` can be stored as text on both stores: no NUL byte, no lone surrogate. */
export function isStorableText(s: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return !s.includes(NUL) && !LONE_SURROGATE.test(s);
}

/** A string without NUL bytes or lone surrogates, at most `max` characters. */
export function text(max: number) {
  return z.string().max(max).refine(isStorableText, { message: 'contains a NUL byte or a broken (lone surrogate) character' });
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The time a `YYYY-MM-DD` day or an ISO 8601 time with its offset names, or undefined when it names
 * none: a day that does not exist (2026-02-30, 2026-13-45, which `Date` rolls over into another
 * day) or a year outside 1970-9999 (which the stores and the shop calendar do not hold).
 */
export function parseInstant(s: string): { day: string } | { at: Date } | undefined {
  const m = DAY.exec(s) ?? ISO_TIME.exec(s);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1970 || year > 9999) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  if (DAY.test(s)) return { day: s };
  const at = new Date(s);
  return Number.isNaN(at.getTime()) ? undefined : { at };
}

/** A `YYYY-MM-DD` day or an ISO 8601 time with an offset, that exists (see parseInstant). */
export const instant = z.string().refine((s) => parseInstant(s) !== undefined, { message: 'expected a real date as YYYY-MM-DD or an ISO 8601 time with its offset, years 1970-9999' });

/** `s` with NUL bytes dropped and lone surrogates made U+FFFD: text a person typed, made storable rather than refused. */
export function storableText(s: string): string {
  return isStorableText(s) ? s : s.replaceAll(NUL, '').replace(LONE_SURROGATE, '\ufffd');
}
