import type { Locale } from '../../config/locales';
import { AppError } from '../../errors';
import { I18n } from '../../i18n/i18n';
import { SURVEY_TRIGGERS } from '../surveys';
import { TICKET_CATEGORIES } from '../tickets';
import { bucketOf, type Granularity } from './formulas';

const DAY = 86_400_000;
/** The longest range a report covers (two years and a day: a yearly review against the year before). */
export const MAX_RANGE_DAYS = 731;
export const GRANULARITIES: Granularity[] = ['day', 'week', 'quarter'];
/** The filters of every figure and drill-down: one agent, ticket kind, channel, survey trigger. */
export const FILTERS = ['agent', 'category', 'channel', 'trigger'] as const;
export type FilterName = (typeof FILTERS)[number];
export type ReportFilters = Partial<Record<FilterName, string>>;

export interface ReportQuery extends ReportFilters {
  /** First and last shop-local day, YYYY-MM-DD (both included). */
  from: string;
  to: string;
  granularity: Granularity;
}

/** The known values of the filters that have a fixed list (agents and channels are checked in the store). */
export const FILTER_VALUES: Partial<Record<FilterName, readonly string[]>> = { category: TICKET_CATEGORIES, trigger: SURVEY_TRIGGERS };

let shared: I18n | undefined;
/** The texts of refusals (the locale files; loaded once when no I18n is given). */
export const dashboardTexts = (i18n?: I18n): I18n => i18n ?? (shared ??= new I18n());

/** A 400 with the reason in the asker's language. */
export function refusal(i18n: I18n, locale: Locale, key: string, vars: Record<string, string | number> = {}): AppError {
  const name = typeof vars.name === 'string' && i18n.has(locale, `dashboard.errors.names.${vars.name}`) ? i18n.t(locale, `dashboard.errors.names.${vars.name}`) : vars.name;
  return new AppError('invalid_request', i18n.t(locale, `dashboard.errors.${key}`, name === undefined ? vars : { ...vars, name }));
}

/**
 * Checks a query from the outside (400 with the reason otherwise): the range (default the last 30
 * days up to today), the granularity and the filters; `keep` names other parameters the route takes.
 */
export function parseQuery(input: Record<string, unknown>, ctx: { today: string; locale: Locale; i18n: I18n; keep?: string[] }): ReportQuery {
  const { locale, i18n } = ctx;
  const known = new Set<string>(['from', 'to', 'granularity', 'lang', 'format', ...FILTERS, ...(ctx.keep ?? [])]);
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  if (unknown.length) throw refusal(i18n, locale, 'unknownFilter', { names: unknown.join(', '), known: ['from', 'to', 'granularity', ...FILTERS].join(', ') });
  const from = typeof input.from === 'string' && input.from ? input.from : shiftDay(ctx.today, -29);
  const to = typeof input.to === 'string' && input.to ? input.to : ctx.today;
  for (const [name, value] of [['from', from], ['to', to]]) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
      throw refusal(i18n, locale, 'notADate', { name, value });
    }
  }
  if (from > to) throw refusal(i18n, locale, 'backwards', { from, to });
  if (days(from, to) > MAX_RANGE_DAYS) throw refusal(i18n, locale, 'tooLong', { days: days(from, to), max: MAX_RANGE_DAYS });
  const granularity = (input.granularity || 'day') as Granularity;
  if (!GRANULARITIES.includes(granularity)) throw refusal(i18n, locale, 'granularity', { known: GRANULARITIES.join(', ') });
  const query: ReportQuery = { from, to, granularity };
  for (const name of FILTERS) {
    const value = input[name];
    if (value === undefined || value === '') continue;
    const list = FILTER_VALUES[name];
    if (typeof value !== 'string' || value.length > 64 || (list && !list.includes(value))) {
      throw refusal(i18n, locale, 'unknownValue', { name, value: String(value).slice(0, 64), known: list ? list.join(', ') : '-' });
    }
    query[name] = value;
  }
  return query;
}

export function today(clock: () => Date, timeZone: string): string {
  return bucketOf(clock(), 'day', timeZone);
}

export function shiftDay(day: string, by: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + by * DAY).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function days(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY) + 1;
}

/** Midnight starting a shop-local day. */
export function startOfDay(day: string, timeZone: string): Date {
  const noonUtc = new Date(`${day}T12:00:00Z`);
  const local = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' }).formatToParts(noonUtc);
  const hour = Number(local.find((p) => p.type === 'hour')!.value);
  const minute = Number(local.find((p) => p.type === 'minute')!.value);
  const offsetMinutes = hour * 60 + minute - 12 * 60;
  return new Date(Date.parse(`${day}T00:00:00Z`) - offsetMinutes * 60_000);
}
