import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger';

/**
 * The shop's working-day calendar: business hours in the shop's time zone, weekend days, public
 * holidays and make-up working days (China's 调休: a Saturday or Sunday that is a working day).
 *
 * Working time is time inside business hours on a working day. A day is a working day when it is a
 * make-up day, or else when it is neither a weekend day nor a holiday. "N working days" is
 * N x (the length of one business day) of working time, so with 09:00-18:00 one working day is
 * 9 working hours: a ticket opened at 17:30 on a Friday with one working day is due at 17:30 on the
 * next working day; a ticket opened before opening time, on a weekend or on a holiday starts counting
 * at the next opening time.
 *
 * A calendar file covers the years it lists holidays and make-up days for (or the `years` it names).
 * A date outside them still works, as plain weekdays and weekends without public holidays, and the
 * calendar warns once per such year that the file needs the State Council's arrangement for it.
 */
export const DEFAULT_CALENDAR_FILE = path.resolve(__dirname, 'calendar.cn.json');

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const calendarFileSchema = z
  .object({
    description: z.string().optional(),
    businessHours: z.object({ start: hhmm, end: hhmm }),
    /** Weekend days of the week, 0 = Sunday ... 6 = Saturday. */
    weekend: z.array(z.number().int().min(0).max(6)).default([0, 6]),
    holidays: z.array(isoDay).default([]),
    /** Make-up working days (调休): worked even though they fall on a weekend. */
    workdays: z.array(isoDay).default([]),
    /** The years the holidays and make-up days are complete for; by default the years they fall in. */
    years: z.array(z.number().int().min(1970).max(9999)).optional(),
  })
  .refine((c) => minutesOf(c.businessHours.start) < minutesOf(c.businessHours.end), {
    message: 'businessHours.start must be before businessHours.end',
  });

export type CalendarFile = z.infer<typeof calendarFileSchema>;

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** A bound on the day-by-day walks (ten years), so a calendar with no working day cannot loop forever. */
const MAX_DAYS = 3660;

interface LocalDay {
  year: number;
  month: number;
  day: number;
}

function dayKey(d: LocalDay): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** Reads and validates a calendar file; the error names the file and the bad field. */
export function loadCalendarFile(file: string = DEFAULT_CALENDAR_FILE): CalendarFile {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read the working-day calendar ${file}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = calendarFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid working-day calendar ${file}: ${issues}`);
  }
  return parsed.data;
}

export class WorkingCalendar {
  /** When people are at work on a working day ("09:00", "18:00"), shop-local. */
  readonly businessHours: { start: string; end: string };
  private readonly holidays: Set<string>;
  private readonly workdays: Set<string>;
  private readonly weekend: Set<number>;
  /** The years the file covers (empty: the file claims no holidays for any year, so nothing to warn about). */
  readonly years: ReadonlySet<number>;
  private readonly warnedYears = new Set<number>();
  private readonly openMinutes: number;
  private readonly closeMinutes: number;
  private readonly parts: Intl.DateTimeFormat;

  constructor(
    data: CalendarFile,
    readonly timeZone: string,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {
    this.holidays = new Set(data.holidays);
    this.workdays = new Set(data.workdays);
    this.years = new Set(data.years ?? [...data.holidays, ...data.workdays].map((d) => Number(d.slice(0, 4))));
    this.weekend = new Set(data.weekend);
    this.openMinutes = minutesOf(data.businessHours.start);
    this.closeMinutes = minutesOf(data.businessHours.end);
    this.businessHours = { ...data.businessHours };
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Length of one business day (e.g. 9 h for 09:00-18:00): the unit of "working days". */
  get businessDayMs(): number {
    return (this.closeMinutes - this.openMinutes) * MINUTE;
  }

  /** The calendar date in the shop's time zone, as YYYY-MM-DD. */
  localDate(at: Date): string {
    return dayKey(this.localDay(at));
  }

  isWorkingDay(date: string): boolean {
    this.checkCovered(Number(date.slice(0, 4)));
    if (this.workdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    const [y, m, d] = date.split('-').map(Number);
    return !this.weekend.has(new Date(Date.UTC(y, m - 1, d)).getUTCDay());
  }

  /** Midnight at the start of a local date (YYYY-MM-DD) in the shop's time zone. */
  startOfDay(date: string): Date {
    const [year, month, day] = date.split('-').map(Number);
    return new Date(this.instant({ year, month, day }, 0));
  }

  /** Is `at` inside business hours on a working day? */
  isWorkingTime(at: Date): boolean {
    const { open, close } = this.window(this.localDay(at));
    return this.isWorkingDay(this.localDate(at)) && at.getTime() >= open && at.getTime() < close;
  }

  /** The instant `ms` of working time after `start` (a start outside business hours counts from the next opening). */
  addWorkingTime(start: Date, ms: number): Date {
    if (ms < 0) throw new RangeError('addWorkingTime: negative duration');
    let remaining = ms;
    let day = this.localDay(start);
    let cursor = start.getTime();
    for (let i = 0; i < MAX_DAYS; i++) {
      if (this.isWorkingDay(dayKey(day))) {
        const { open, close } = this.window(day);
        const from = Math.max(cursor, open);
        if (from < close) {
          if (remaining === 0) return new Date(from);
          const available = close - from;
          if (remaining <= available) return new Date(from + remaining);
          remaining -= available;
        }
      }
      day = nextDay(day);
      cursor = this.window(day).open;
    }
    throw new Error(`The working-day calendar has no working time within ${MAX_DAYS} days of ${start.toISOString()}`);
  }

  /** Working time between two instants (0 when `to` is not after `from`). */
  workingTimeBetween(from: Date, to: Date): number {
    if (to.getTime() <= from.getTime()) return 0;
    let total = 0;
    let day = this.localDay(from);
    for (let i = 0; i < MAX_DAYS; i++) {
      const { open, close } = this.window(day);
      if (open >= to.getTime()) break;
      if (this.isWorkingDay(dayKey(day))) {
        const a = Math.max(open, from.getTime());
        const b = Math.min(close, to.getTime());
        if (b > a) total += b - a;
      }
      day = nextDay(day);
    }
    return total;
  }

  /** Outside the covered years only weekends are known: say so once per year, so the file gets updated. */
  private checkCovered(year: number): void {
    if (this.years.size === 0 || this.years.has(year) || this.warnedYears.has(year)) return;
    this.warnedYears.add(year);
    this.logger?.warn(
      { year, coveredYears: [...this.years].sort((a, b) => a - b) },
      'the working-day calendar has no public holidays or make-up days for this year: counting plain weekdays and weekends (add the year to the calendar file)',
    );
  }

  private localDay(at: Date): LocalDay {
    const p = this.fields(at);
    return { year: p.year, month: p.month, day: p.day };
  }

  private fields(at: Date) {
    const out: Record<string, number> = {};
    for (const part of this.parts.formatToParts(at)) if (part.type !== 'literal') out[part.type] = Number(part.value);
    return { year: out.year, month: out.month, day: out.day, hour: out.hour, minute: out.minute, second: out.second };
  }

  /** The UTC instant of a wall-clock time on a local day (handles zones with offsets and DST). */
  private instant(day: LocalDay, minutes: number): number {
    const wall = Date.UTC(day.year, day.month - 1, day.day) + minutes * MINUTE;
    let guess = wall - this.offset(wall);
    guess = wall - this.offset(guess);
    return guess;
  }

  /** Offset of the zone from UTC at an instant, in ms. */
  private offset(utcMs: number): number {
    const f = this.fields(new Date(utcMs));
    const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
    return asUtc - (utcMs - (utcMs % 1000));
  }

  private window(day: LocalDay): { open: number; close: number } {
    return { open: this.instant(day, this.openMinutes), close: this.instant(day, this.closeMinutes) };
  }
}

function nextDay(d: LocalDay): LocalDay {
  const next = new Date(Date.UTC(d.year, d.month - 1, d.day) + DAY);
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}
