import { Culture } from '@microsoft/recognizers-text-suite';
import {
  recognizeBoolean,
  recognizeCurrency,
  recognizeDateTime,
  recognizeEmail,
  recognizeNumber,
  recognizeOrdinal,
  recognizePhoneNumber,
} from './models';
import type { DateRangeValue, Entity, EntityType, Locale, MoneyValue } from './types';
import {
  isoDate,
  isoWithOffset,
  localDateShowingWallClock,
  wallClockIn,
  type WallClock,
} from './timezone';

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
/**
 * Messages longer than this are scanned in windows around trigger words only (recognizers-text
 * cost grows faster than linearly: 19 ms for a 95-character English sentence with two dates).
 */
const WINDOW_THRESHOLD: Record<Locale, number> = { 'zh-CN': 40, 'en-US': 60 };
const MAX_WINDOWS = 4;
/** Longest window scanned at once (characters). */
const MAX_WINDOW_LENGTH: Record<Locale, number> = { 'zh-CN': 40, 'en-US': 70 };
/** Only short replies are checked for yes/no ("why am i no longer a member" is not a "no"). */
const BOOLEAN_MAX_LENGTH: Record<Locale, number> = { 'zh-CN': 12, 'en-US': 30 };
const BOOLEAN_MAX_WORDS = 5;

type ModelResult = ReturnType<typeof recognizeNumber>[number];

interface Span {
  start: number;
  end: number;
}

function cultureOf(locale: Locale): string {
  return locale === 'zh-CN' ? Culture.Chinese : Culture.English;
}

// ---------------------------------------------------------------------------------------------
// Shop identifiers

const ORDER_RE = /(?<![a-z0-9])kf\s?(\d{12})(?!\d)/gi;
const TICKET_RE = /(?<![a-z0-9])t(\d{8})(\d{4})(?!\d)/gi;

// ---------------------------------------------------------------------------------------------
// Triggers: a recognizer is only run when its trigger matches.

const ZH_NUMBER_CHARS = '零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾半几';
const EN_NUMBER_WORDS =
  'zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|dozen|half|couple';
const EN_MONTHS =
  'jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december';
const EN_DAYS =
  'mon|monday|tue|tues|tuesday|wed|wednesday|thu|thur|thurs|thursday|fri|friday|sat|saturday|sun|sunday|weekend|weekday';

const TRIGGERS = {
  number: {
    'zh-CN': new RegExp(`[0-9${ZH_NUMBER_CHARS}]+`, 'g'),
    'en-US': new RegExp(`\\d+|\\b(?:${EN_NUMBER_WORDS})\\b`, 'gi'),
  },
  ordinal: {
    'zh-CN': /第/g,
    'en-US':
      /\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|twentieth|\d+(?:st|nd|rd|th))\b/gi,
  },
  money: {
    'zh-CN': /[$¥￥€£]|元|块|美元|美金|欧元|英镑|人民币|rmb|cny|usd|dollars?|yuan|bucks?/gi,
    'en-US': /[$¥￥€£]|元|块|\b(?:rmb|cny|usd|eur|gbp|dollars?|yuan|bucks?|euros?|pounds?|cents?)\b/gi,
  },
  datetime: {
    'zh-CN':
      /\d+\s*[年月日号点時时:：./-]|[昨今明前后]天|[本上下这]个?(?:周|星期|礼拜|月)|(?:周|星期|礼拜)[一二三四五六日天末]|[一二三四五六七八九十两几半\d]+\s*(?:个)?(?:天|周|星期|月|年|小时|钟头|分钟)|[月年]底|[月年]初|刚才|现在|最近|早上|晚上|上午|下午|中午|凌晨|今晚|今早|明早|元旦|春节|国庆|双十一|双11|[一二三四五六七八九十]+月/g,
    'en-US': new RegExp(
      `\\b(?:yesterday|today|tonight|tomorrow|tmrw|ago|weekend|morning|afternoon|evening|noon|midnight|christmas|${EN_DAYS})\\b|\\b(?:${EN_MONTHS})\\b\\.?\\s*\\d|\\d+\\s*(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${EN_MONTHS})\\b|\\b(?:last|next|this|past|coming|since|within|in|for|after|before)\\s+(?:\\w+\\s+)?(?:days?|weeks?|months?|years?|hours?|minutes?)\\b|\\b(?:\\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|few|couple of)\\s+(?:days?|weeks?|months?|years?|hours?|minutes?|mins?)\\b|\\d{1,2}(?::\\d{2})?\\s*(?:am|pm|a\\.m\\.|p\\.m\\.)|\\d{1,2}:\\d{2}|\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}\\/\\d{1,2}(?:\\/\\d{2,4})?|\\b(?:now|recently)\\b`,
      'gi',
    ),
  },
  phone: {
    'zh-CN': /\+?\d[\d\s()-]{5,}\d/g,
    'en-US': /\+?\d[\d\s()-]{5,}\d/g,
  },
  email: {
    'zh-CN': /[^\s@]+@[^\s@]+/g,
    'en-US': /[^\s@]+@[^\s@]+/g,
  },
} satisfies Record<string, Record<Locale, RegExp>>;

interface WindowTuning {
  maxWindows?: number;
  threshold?: Record<Locale, number>;
  pad?: Record<Locale, number>;
}

/**
 * Date-time is by far the most expensive recognizer (English, warm: 0.3-1 ms for "monday", 1-4 ms for
 * "i paid two days ago and there"), so it always looks only at a few words around its triggers.
 */
const DATETIME_WINDOWS: WindowTuning = {
  maxWindows: 3,
  threshold: { 'zh-CN': 0, 'en-US': 0 },
  pad: { 'zh-CN': 4, 'en-US': 8 },
};

/** Window half-width in characters around a trigger. */
const WINDOW_PAD: Record<Locale, number> = { 'zh-CN': 10, 'en-US': 24 };

/**
 * The parts of `text` worth scanning for one recognizer: [] when the trigger never matches,
 * the whole text when it is short, otherwise merged windows around the first trigger hits.
 */
function windowsFor(text: string, trigger: RegExp, locale: Locale, tuning: WindowTuning = {}): Span[] {
  trigger.lastIndex = 0;
  if (text.length <= (tuning.threshold ?? WINDOW_THRESHOLD)[locale]) {
    return trigger.test(text) ? [{ start: 0, end: text.length }] : [];
  }
  const pad = (tuning.pad ?? WINDOW_PAD)[locale];
  const spans: Span[] = [];
  trigger.lastIndex = 0;
  let m: RegExpExecArray | null;
  let hits = 0;
  const maxWindows = tuning.maxWindows ?? MAX_WINDOWS;
  while ((m = trigger.exec(text)) !== null && hits < maxWindows * 4) {
    hits += 1;
    if (m[0].length === 0) trigger.lastIndex += 1;
    let start = Math.max(0, m.index - pad);
    let end = Math.min(text.length, m.index + m[0].length + pad);
    if (locale === 'en-US') {
      // Do not cut English words in half.
      while (start > 0 && /\w/.test(text[start - 1] ?? '')) start -= 1;
      while (end < text.length && /\w/.test(text[end] ?? '')) end += 1;
    }
    const last = spans[spans.length - 1];
    if (last && start <= last.end && end - last.start <= MAX_WINDOW_LENGTH[locale]) {
      last.end = Math.max(last.end, end);
    } else if (spans.length < maxWindows) {
      // May overlap the previous window; duplicates are removed by the caller.
      spans.push({ start, end });
    } else {
      break;
    }
  }
  trigger.lastIndex = 0;
  return spans;
}

/** Runs `fn` on each window and maps results back to offsets in `text` (end exclusive). */
function scan(
  text: string,
  trigger: RegExp,
  locale: Locale,
  fn: (chunk: string) => ModelResult[],
  tuning?: WindowTuning,
): ModelResult[] {
  const out: ModelResult[] = [];
  const seen = new Set<string>();
  for (const w of windowsFor(text, trigger, locale, tuning)) {
    const chunk = text.slice(w.start, w.end);
    for (const r of fn(chunk)) {
      // recognizers-text: `end` is inclusive and `text` may be lower-cased or carry a trailing space.
      let start = w.start + r.start;
      let end = w.start + r.end + 1;
      while (end > start && /\s/.test(text[end - 1] ?? '')) end -= 1;
      while (start < end && /\s/.test(text[start] ?? '')) start += 1;
      const key = `${r.typeName}:${start}:${end}`;
      if (end <= start || seen.has(key)) continue;
      seen.add(key);
      out.push({ ...r, start, end, text: text.slice(start, end) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Helpers for the untyped resolution objects

function field(obj: unknown, key: string): unknown {
  if (obj !== null && typeof obj === 'object' && key in obj) {
    return (obj as Record<string, unknown>)[key];
  }
  return undefined;
}

function str(obj: unknown, key: string): string | undefined {
  const v = field(obj, key);
  return typeof v === 'string' ? v : undefined;
}

function num(obj: unknown, key: string): number | undefined {
  const v = field(obj, key);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Full-width ASCII (０-９, Ａ-Ｚ, ＠ …) to half-width; keeps the length so offsets stay valid. */
function toHalfWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

// ---------------------------------------------------------------------------------------------
// Date-time resolution

function parseWall(value: string, today: WallClock): WallClock | undefined {
  const dt = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (dt) {
    return {
      year: Number(dt[1]),
      month: Number(dt[2]),
      day: Number(dt[3]),
      hour: Number(dt[4] ?? 0),
      minute: Number(dt[5] ?? 0),
      second: Number(dt[6] ?? 0),
    };
  }
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (t) {
    return { ...today, hour: Number(t[1]), minute: Number(t[2]), second: Number(t[3] ?? 0) };
  }
  return undefined;
}

/** ISO date for date-only values, ISO instant with the zone's offset when a time is present. */
function toIso(value: string | undefined, hasTime: boolean, today: WallClock, timezone: string): string | undefined {
  if (!value) return undefined;
  const wall = parseWall(value, today);
  if (!wall) return undefined;
  return hasTime ? isoWithOffset(wall, timezone) : isoDate(wall);
}

const TIME_MARKER =
  /[:：]|点|時|时|分|钟|早上|晚上|上午|下午|中午|凌晨|\b(?:am|pm|a\.m\.|p\.m\.|o'?clock|noon|midnight|morning|afternoon|evening|night|tonight|hours?|minutes?|mins?)\b/i;

const WEEKDAYS: Record<string, number> = {
  sun: 0, sunday: 0, mon: 1, monday: 1, tue: 2, tues: 2, tuesday: 2, wed: 3, wednesday: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4, fri: 5, friday: 5, sat: 6, saturday: 6,
};

/**
 * English "last <weekday>": recognizers-text resolves it to that weekday of the previous calendar
 * week (on Thursday 2026-11-26 "last Tuesday" → 2026-11-17). Customers mean the most recent such
 * day before today (→ 2026-11-24), so that is what we return. Chinese 上周二 is explicitly "Tuesday
 * of last week" and keeps the library's value.
 */
function lastWeekdayOverride(text: string, today: WallClock): string | undefined {
  const m = /^last\s+([a-z]+)$/i.exec(text.trim());
  const dow = m?.[1] ? WEEKDAYS[m[1].toLowerCase()] : undefined;
  if (dow === undefined) return undefined;
  const base = new Date(Date.UTC(today.year, today.month - 1, today.day));
  let diff = (base.getUTCDay() - dow + 7) % 7;
  if (diff === 0) diff = 7;
  const d = new Date(base.getTime() - diff * 86400000);
  return isoDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

/** Among alternative resolutions (e.g. "Nov 20" → 2026-11-20 or 2027-11-20) pick the one nearest to today. */
function pickNearest(values: unknown[], todayIso: string): unknown {
  if (values.length <= 1) return values[0];
  const todayMs = Date.parse(todayIso);
  let best: unknown = values[0];
  let bestDist = Infinity;
  for (const v of values) {
    const s = str(v, 'value') ?? str(v, 'start') ?? str(v, 'end');
    const ms = s ? Date.parse(s.slice(0, 10)) : NaN;
    const dist = Number.isFinite(ms) ? Math.abs(ms - todayMs) : Infinity;
    if (dist < bestDist) {
      best = v;
      bestDist = dist;
    }
  }
  return best;
}

function resolveDateTime(
  r: ModelResult,
  today: WallClock,
  timezone: string,
): { value: string | Partial<DateRangeValue>; subtype: string } | undefined {
  const valuesField = field(r.resolution, 'values');
  const values: unknown[] = Array.isArray(valuesField) ? valuesField : [];
  const chosen = pickNearest(values, isoDate(today));
  const type = str(chosen, 'type');
  if (!type) return undefined;
  switch (type) {
    case 'date': {
      const value = lastWeekdayOverride(r.text, today) ?? toIso(str(chosen, 'value'), false, today, timezone);
      return value ? { value, subtype: type } : undefined;
    }
    case 'datetime':
    case 'time': {
      const value = toIso(str(chosen, 'value'), true, today, timezone);
      return value ? { value, subtype: type } : undefined;
    }
    case 'daterange':
    case 'datetimerange':
    case 'timerange': {
      const hasTime = type !== 'daterange';
      const start = toIso(str(chosen, 'start'), hasTime, today, timezone);
      const end = toIso(str(chosen, 'end'), hasTime, today, timezone);
      if (!start && !end) return undefined;
      const range: Partial<DateRangeValue> = {};
      if (start) range.start = start;
      if (end) range.end = end;
      return { value: range, subtype: type };
    }
    case 'duration': {
      const timex = str(chosen, 'timex');
      return timex ? { value: timex, subtype: type } : undefined;
    }
    default:
      return undefined; // sets ("every Monday") are not useful to a customer-service turn
  }
}

// ---------------------------------------------------------------------------------------------
// Money

const ISO_BY_UNIT: Record<string, string> = {
  'Chinese yuan': 'CNY',
  Dollar: 'USD',
  'United States dollar': 'USD',
  Cent: 'USD',
  Euro: 'EUR',
  Pound: 'GBP',
  'British pound': 'GBP',
  'Japanese yen': 'JPY',
};

function resolveMoney(r: ModelResult): MoneyValue | undefined {
  let amount = num(r.resolution, 'value');
  // "USD 15" comes back as 0.15; when the text holds exactly one plain number, trust the text.
  const digits = r.text.match(/\d[\d,]*(?:\.\d+)?/g);
  if (digits && digits.length === 1 && digits[0] && !/cents?|分|角|毛/i.test(r.text)) {
    amount = Number(digits[0].replace(/,/g, ''));
  }
  if (amount === undefined || !Number.isFinite(amount)) return undefined;
  const unit = str(r.resolution, 'unit') ?? '';
  let currency = str(r.resolution, 'isoCurrency') ?? ISO_BY_UNIT[unit] ?? unit;
  // The shop sells in China: ¥/￥ is the renminbi, not the yen the library assumes.
  if (/[¥￥]/.test(r.text)) currency = 'CNY';
  return { amount, currency };
}

// ---------------------------------------------------------------------------------------------
// Yes / no

/** Chinese negatives the library does not know (不要, 没有, 否 ...), only at the start of a short reply. */
const ZH_NEGATIVE =
  /^(?:[亲嗯呃额哦噢啊]+[，,、\s]*)?(不要了?|不用了?|没有了?|没了|否|不需要|不必了?|不是|不对|算了|不了|没)(?=$|[\s，,。.!！~～了啊呀吧哈的])/;
const ZH_POSITIVE_EXTRA = /^(?:[亲嗯呃额哦噢啊]+[，,、\s]*)?(要的|需要|嗯嗯|恩恩|没问题|成|中|可)(?=$|[\s，,。.!！~～了啊呀吧哈的])/;
const EN_NEGATIVE_EXTRA = /^(nah|no way|not really|negative)\b/i;

function customBooleans(text: string, locale: Locale): Entity[] {
  const trimmedStart = text.length - text.trimStart().length;
  const body = text.trimStart();
  const tries: [RegExp, boolean][] =
    locale === 'zh-CN' ? [[ZH_NEGATIVE, false], [ZH_POSITIVE_EXTRA, true]] : [[EN_NEGATIVE_EXTRA, false]];
  for (const [re, value] of tries) {
    const m = re.exec(body);
    const word = m?.[1];
    if (m && word) {
      const start = trimmedStart + m[0].length - word.length;
      return [{ type: 'boolean', text: word, start, end: start + word.length, value }];
    }
  }
  return [];
}

// ---------------------------------------------------------------------------------------------

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
    for (const e of custom) {
      if (isFree(e)) add('boolean', e, e.value);
    }
    if (custom.length === 0) {
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
