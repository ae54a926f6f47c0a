import { Culture } from '@microsoft/recognizers-text-suite';
import { resolveDateTime, TIME_MARKER } from './dateTimeEntity';
import { DATETIME_WINDOWS, scan, TRIGGERS, type Span } from './entityScan';
import {
  recognizeBoolean,
  recognizeCurrency,
  recognizeDateTime,
  recognizeEmail,
  recognizeNumber,
  recognizeOrdinal,
  recognizePhoneNumber,
} from './models';
import { resolveMoney } from './moneyEntity';
import { field, num } from './resolutionFields';
import { localDateShowingWallClock, wallClockIn } from './timezone';
import type { Entity, EntityType, Locale } from './types';
import { customBooleans } from './yesNoEntity';

/**
 * Entity extraction: Microsoft recognizers-text (numbers, money, dates, phones, e-mails, yes/no,
 * ordinals) plus the shop's own identifiers (order KF+12 digits, ticket T+8-digit date+4 digits).
 *
 * Speed: recognizers-text is regex-heavy; an English date-time pass costs 0.3-3 ms even on a
 * one-word message. Every recognizer therefore runs only when a cheap trigger regex says it could match,
 * long messages are scanned only in windows around those triggers, and nothing past
 * ENTITY_SCAN_LIMIT characters is scanned at all.
 */

/** Characters of a message that are scanned for entities at most. */
export const ENTITY_SCAN_LIMIT = 1000;
/** At most this many entities are returned for one message. */
export const MAX_ENTITIES = 40;
/** Only short replies are checked for yes/no ("why am i no longer a member" is not a "no"). */
const BOOLEAN_MAX_LENGTH: Record<Locale, number> = { 'zh-CN': 12, 'en-US': 30 };
const BOOLEAN_MAX_WORDS = 5;

function cultureOf(locale: Locale): string {
  return locale === 'zh-CN' ? Culture.Chinese : Culture.English;
}

/** The shop's own identifiers: orders KF + 12 digits, tickets T + date + 4 digits. */
const ORDER_RE = /(?<![a-z0-9])kf\s?(\d{12})(?!\d)/gi;
const TICKET_RE = /(?<![a-z0-9])t(\d{8})(\d{4})(?!\d)/gi;

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Full-width ASCII (０-９, Ａ-Ｚ, ＠ …) to half-width; keeps the length so offsets stay valid. */
function toHalfWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * Extracts entities from one message.
 * @param now the current instant; relative dates (昨天, 3 days ago) resolve against it
 * @param timezone the shop's IANA zone; "yesterday" means yesterday on the shop's calendar
 */
export function extractEntities(text: string, locale: Locale, now: Date, timezone: string): Entity[] {
  if (!text || !text.trim()) return [];
  const source = text.length > ENTITY_SCAN_LIMIT ? text.slice(0, ENTITY_SCAN_LIMIT) : text;
  const scanText = toHalfWidth(source);
  const culture = cultureOf(locale);
  const entities: Entity[] = [];
  const taken: Span[] = [];
  const isFree = (s: Span) => !taken.some((t) => overlaps(t, s));
  const add = (type: EntityType, span: Span, value: unknown, subtype?: string) => {
    const e: Entity = { type, text: source.slice(span.start, span.end), start: span.start, end: span.end, value };
    if (subtype) e.subtype = subtype;
    entities.push(e);
    taken.push(span);
  };

  // 1. Shop identifiers win over everything else.
  for (const m of scanText.matchAll(ORDER_RE)) {
    add('order_number', { start: m.index, end: m.index + m[0].length }, `KF${m[1] ?? ''}`);
  }
  for (const m of scanText.matchAll(TICKET_RE)) {
    const span = { start: m.index, end: m.index + m[0].length };
    if (isFree(span)) add('ticket_number', span, `T${m[1] ?? ''}${m[2] ?? ''}`);
  }

  // The library recognizers never see the identifiers: no phone/number/date inside KF202611250042,
  // and less text to scan. Masking keeps the length, so offsets stay valid.
  let masked = scanText;
  for (const t of taken) masked = masked.slice(0, t.start) + ' '.repeat(t.end - t.start) + masked.slice(t.end);

  // 2. E-mail addresses.
  for (const r of scan(masked, TRIGGERS.email[locale], locale, (c) => recognizeEmail(c, culture))) {
    if (isFree(r)) add('email', r, r.text.toLowerCase());
  }

  // 3. Phone numbers (only reasonably confident ones; "20261125" scores 0.3).
  for (const r of scan(masked, TRIGGERS.phone[locale], locale, (c) => recognizePhoneNumber(c, culture))) {
    const score = num(r.resolution, 'score') ?? 1;
    if (score < 0.5 || !isFree(r)) continue;
    const digits = r.text.replace(/\D/g, '');
    if (digits.length < 7) continue;
    add('phone', r, (r.text.trim().startsWith('+') ? '+' : '') + digits);
  }

  // 4. Money.
  for (const r of scan(masked, TRIGGERS.money[locale], locale, (c) => recognizeCurrency(c, culture))) {
    const value = resolveMoney(r);
    if (value && isFree(r)) add('money', r, value);
  }

  // Raw numbers are needed to filter date-time false positives ("twenty five items" → 20:05).
  const rawNumbers = scan(masked, TRIGGERS.number[locale], locale, (c) => recognizeNumber(c, culture));

  // 5. Dates and times, resolved on the shop's calendar.
  const dateTimeResults = scan(masked, TRIGGERS.datetime[locale], locale, (c) => {
    return recognizeDateTime(c, culture, undefined, localDateShowingWallClock(now, timezone));
  }, DATETIME_WINDOWS);
  if (dateTimeResults.length > 0) {
    const today = wallClockIn(now, timezone);
    for (const r of dateTimeResults) {
      if (!isFree(r)) continue;
      const subtype = r.typeName.split('.').pop() ?? '';
      const isTimeLike = subtype === 'time' || subtype === 'timerange' || subtype === 'datetime';
      if (isTimeLike && !TIME_MARKER.test(r.text) && rawNumbers.some((n) => overlaps(n, r))) continue;
      const resolved = resolveDateTime(r, today, timezone);
      if (resolved) add('datetime', r, resolved.value, resolved.subtype);
    }
  }

  // 6. Ordinals (第二个, 2nd, the third one).
  const ordinals: Span[] = [];
  for (const r of scan(masked, TRIGGERS.ordinal[locale], locale, (c) => recognizeOrdinal(c, culture))) {
    const value = num(r.resolution, 'value');
    if (value === undefined || value <= 0 || !Number.isInteger(value) || !isFree(r)) continue;
    add('ordinal', r, value);
    ordinals.push(r);
  }

  // 7. Plain numbers that are not part of anything above.
  for (const r of rawNumbers) {
    const value = num(r.resolution, 'value');
    if (value === undefined || !isFree(r)) continue;
    if (locale === 'en-US' && /^ones?$/i.test(r.text)) {
      // "the second one", "this one": a pronoun, not a quantity.
      const before = masked.slice(Math.max(0, r.start - 12), r.start);
      if (ordinals.some((o) => o.end <= r.start && r.start - o.end <= 1) || /\b(?:the|this|that|which|another|other|new|same|right|wrong|old)\s+$/i.test(before)) {
        continue;
      }
    }
    add('number', r, value);
  }

  // 8. Yes / no, only for short replies.
  const reply = masked.trim();
  if (reply.length <= BOOLEAN_MAX_LENGTH[locale] && reply.split(/\s+/).length <= BOOLEAN_MAX_WORDS) {
    const custom = customBooleans(masked, locale);
    for (const e of custom === 'unsure' ? [] : custom) {
      if (isFree(e)) add('boolean', e, e.value);
    }
    if (custom !== 'unsure' && custom.length === 0) {
      for (const r of recognizeBoolean(masked, culture).map((b) => ({ ...b, end: b.end + 1 }))) {
        const value = field(r.resolution, 'value');
        if (typeof value === 'boolean' && isFree(r)) add('boolean', r, value);
      }
    }
  }

  entities.sort((a, b) => a.start - b.start || b.end - a.end);
  return entities.slice(0, MAX_ENTITIES);
}

/**
 * recognizers-text compiles its regexes lazily: the first call per culture takes 150-350 ms
 * (date-time ~1 s). Call this once at start-up so no customer turn pays for it.
 */
export function warmUp(): void {
  const now = new Date();
  extractEntities('昨天下午3点买的，199元，第二个，电话13812345678，a@b.cn，好的，订单KF202611250042', 'zh-CN', now, 'Asia/Shanghai');
  extractEntities('ordered 3 days ago for $20, the second one, call +1 415-555-0100, a@b.com, yes', 'en-US', now, 'Asia/Shanghai');
  extractEntities('不要', 'zh-CN', now, 'Asia/Shanghai');
  extractEntities('nope', 'en-US', now, 'Asia/Shanghai');
}
