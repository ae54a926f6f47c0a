import type { Locale } from '../src/config/locales';

/** Customer-facing dates and amounts: in the shop's time zone, in the customer's language. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, withTime ? { timeZone, dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' } : { timeZone, dateStyle: 'medium' });
    formatters.set(key, f);
  }
  return f;
}

/** 2026年11月26日 14:05 / Nov 26, 2026, 14:05 */
export function formatDateTime(at: Date, locale: Locale, timeZone: string): string {
  return formatter(locale, timeZone, true).format(at);
}

/** 2026年11月26日 / Nov 26, 2026 */
export function formatDate(at: Date, locale: Locale, timeZone: string): string {
  return formatter(locale, timeZone, false).format(at);
}

const YUAN = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Amounts are stored in fen: 39900 -> ¥399.00, 139700 -> ¥1,397.00 (thousands separated, as shops write them in both languages). */
export function formatYuan(fen: number): string {
  return `¥${YUAN.format(fen / 100)}`;
}
