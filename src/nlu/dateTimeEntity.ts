import type { ModelResult } from '@microsoft/recognizers-text';
import { field, str } from './resolutionFields';
import { isoDate, isoWithOffset, type WallClock } from './timezone';
import type { DateRangeValue } from './types';

/** Date-time resolution: recognizers-text's values, read on the shop's calendar and in its time zone. */

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

/** Words that make a number a time ("3点", "5 pm"); without one, "twenty five" is not 20:05. */
export const TIME_MARKER =
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

/** A date-time result's value on the shop's calendar: an ISO date, an ISO instant with the zone's offset, a range or a duration. */
export function resolveDateTime(
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
