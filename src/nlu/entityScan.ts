import type { ModelResult } from '@microsoft/recognizers-text';
import type { Locale } from './types';

/**
 * Where the recognizers look. recognizers-text is regex-heavy, so each recognizer runs only when a
 * cheap trigger regex says it could match, and a long message is scanned only in windows around the
 * triggers' hits (see entities.ts).
 */

export interface Span {
  start: number;
  end: number;
}

/**
 * Messages longer than this are scanned in windows around trigger words only (recognizers-text
 * cost grows faster than linearly: 19 ms for a 95-character English sentence with two dates).
 */
const WINDOW_THRESHOLD: Record<Locale, number> = { 'zh-CN': 40, 'en-US': 60 };
const MAX_WINDOWS = 4;
/** Longest window scanned at once (characters). */
const MAX_WINDOW_LENGTH: Record<Locale, number> = { 'zh-CN': 40, 'en-US': 70 };

// Triggers: a recognizer is only run when its trigger matches.

const ZH_NUMBER_CHARS = '零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾半几';
const EN_NUMBER_WORDS =
  'zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|dozen|half|couple';
const EN_MONTHS =
  'jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december';
const EN_DAYS =
  'mon|monday|tue|tues|tuesday|wed|wednesday|thu|thur|thurs|thursday|fri|friday|sat|saturday|sun|sunday|weekend|weekday';

export const TRIGGERS = {
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

export interface WindowTuning {
  maxWindows?: number;
  threshold?: Record<Locale, number>;
  pad?: Record<Locale, number>;
}

/**
 * Date-time is by far the most expensive recognizer (English, warm: 0.3-1 ms for "monday", 1-4 ms for
 * "i paid two days ago and there"), so it always looks only at a few words around its triggers.
 */
export const DATETIME_WINDOWS: WindowTuning = {
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
export function scan(
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
