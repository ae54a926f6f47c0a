import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { calendarFileSchema, DEFAULT_CALENDAR_FILE, loadCalendarFile, WorkingCalendar } from '../../src/calendar/calendar';
import { sh } from '../support/clock';
import { computeDeadlines, DEFAULT_SLA_POLICIES, pausedBetween, resolvePolicies } from '../../src/features/tickets/sla';

const calendar = new WorkingCalendar(loadCalendarFile(DEFAULT_CALENDAR_FILE), 'Asia/Shanghai');
const HOUR = 3_600_000;
const day = (n: number) => n * calendar.businessDayMs;

describe('working-day calendar (China 2026)', () => {
  it('when looking at weekends, holidays and 调休 days, then working days follow the State Council arrangement', () => {
    expect(calendar.isWorkingDay('2026-11-27')).toBe(true); // Friday
    expect(calendar.isWorkingDay('2026-11-28')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-10-01')).toBe(false); // National Day, Thursday
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true); // make-up Saturday
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true); // make-up Sunday
    expect(calendar.isWorkingDay('2026-02-16')).toBe(false); // Spring Festival, Monday
  });

  it('when one working day is added at 17:30 on a Friday, then it is due at 17:30 on Monday', () => {
    expect(calendar.addWorkingTime(sh('2026-11-27T17:30:00'), day(1))).toEqual(sh('2026-11-30T17:30:00'));
  });

  it('when one working day is added at 17:30 on a Thursday, then it is due at 17:30 on Friday', () => {
    expect(calendar.addWorkingTime(sh('2026-11-26T17:30:00'), day(1))).toEqual(sh('2026-11-27T17:30:00'));
  });

  it('when a ticket arrives before opening, then the clock starts at 09:00', () => {
    expect(calendar.addWorkingTime(sh('2026-11-26T07:00:00'), 2 * HOUR)).toEqual(sh('2026-11-26T11:00:00'));
  });

  it('when a ticket arrives after closing, then the clock starts at the next opening', () => {
    expect(calendar.addWorkingTime(sh('2026-11-26T20:00:00'), 2 * HOUR)).toEqual(sh('2026-11-27T11:00:00'));
  });

  it('when two working hours start at 17:00, then one hour is today and one tomorrow morning', () => {
    expect(calendar.addWorkingTime(sh('2026-11-26T17:00:00'), 2 * HOUR)).toEqual(sh('2026-11-27T10:00:00'));
  });

  it('when a ticket arrives on National Day, then counting starts on the next working morning (the make-up Saturday 10 Oct)', () => {
    expect(calendar.addWorkingTime(sh('2026-10-02T10:00:00'), 2 * HOUR)).toEqual(sh('2026-10-08T11:00:00'));
    // Friday 9 Oct 17:30 + 1 working day: 30 min on Friday, 8.5 h on the make-up Saturday.
    expect(calendar.addWorkingTime(sh('2026-10-09T17:30:00'), day(1))).toEqual(sh('2026-10-10T17:30:00'));
  });

  it('when the days before the make-up Sunday 20 Sep are counted, then the Sunday is worked and the Mid-Autumn Friday is not', () => {
    // Friday 18 Sep 17:30 + 1 working day -> Sunday 20 Sep 17:30 (make-up day), not Monday.
    expect(calendar.addWorkingTime(sh('2026-09-18T17:30:00'), day(1))).toEqual(sh('2026-09-20T17:30:00'));
    // Thursday 24 Sep 12:00 + 2 working days -> Mid-Autumn 25-27 off -> Tuesday 29 Sep 12:00.
    expect(calendar.addWorkingTime(sh('2026-09-24T12:00:00'), day(2))).toEqual(sh('2026-09-29T12:00:00'));
  });

  it('when a repair is asked for on the eve of Spring Festival, then two working days skip the nine-day holiday', () => {
    // Friday 13 Feb 15:00; Saturday 14 Feb is a make-up day; 15-23 Feb off.
    expect(calendar.addWorkingTime(sh('2026-02-13T15:00:00'), day(2))).toEqual(sh('2026-02-24T15:00:00'));
  });

  it('when working time is measured across a weekend, then only business hours on working days count', () => {
    expect(calendar.workingTimeBetween(sh('2026-11-27T17:00:00'), sh('2026-11-30T10:00:00'))).toBe(2 * HOUR);
    expect(calendar.workingTimeBetween(sh('2026-11-28T10:00:00'), sh('2026-11-29T10:00:00'))).toBe(0);
  });

  it('when a date falls after the years the calendar file covers (2027), then it counts plain weekdays and weekends, and a warning is logged once for that year', () => {
    const warnings: { year?: number; coveredYears?: number[]; msg?: string }[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
    const uncovered = new WorkingCalendar(loadCalendarFile(DEFAULT_CALENDAR_FILE), 'Asia/Shanghai', logger);
    expect(uncovered.isWorkingDay('2026-12-31')).toBe(true);
    expect(warnings).toEqual([]);

    // New Year's Day 2027 is a Friday: without the 2027 arrangement it is an ordinary working day.
    expect(uncovered.isWorkingDay('2027-01-01')).toBe(true);
    expect(uncovered.isWorkingDay('2027-01-02')).toBe(false); // Saturday
    expect(uncovered.isWorkingDay('2027-01-04')).toBe(true); // Monday
    expect(uncovered.addWorkingTime(sh('2027-01-01T17:30:00'), day(1))).toEqual(sh('2027-01-04T17:30:00'));
    // Thursday 31 Dec 2026 12:00 + 2 working days: Thursday afternoon, Friday 1 Jan, Monday 4 Jan until 12:00.
    expect(uncovered.addWorkingTime(sh('2026-12-31T12:00:00'), day(2))).toEqual(sh('2027-01-04T12:00:00'));
    expect(uncovered.workingTimeBetween(sh('2027-01-01T17:00:00'), sh('2027-01-04T10:00:00'))).toBe(2 * HOUR);

    expect(warnings).toEqual([expect.objectContaining({ year: 2027, coveredYears: [2026], msg: expect.stringContaining('no public holidays or make-up days for this year') })]);
  });

  it('when a calendar file lists no holidays at all, then it claims no years and never warns', () => {
    const warnings: string[] = [];
    const plain = new WorkingCalendar(calendarFileSchema.parse({ businessHours: { start: '09:00', end: '18:00' } }), 'Asia/Shanghai', pino({}, { write: (line: string) => warnings.push(line) }));
    expect(plain.isWorkingDay('2031-05-01')).toBe(true); // a Thursday
    expect(warnings).toEqual([]);
  });

  it('when a calendar file has closing before opening, then loading it names the problem', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-cal-')), 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ businessHours: { start: '18:00', end: '09:00' } }));
    expect(() => loadCalendarFile(file)).toThrow(/businessHours.start must be before businessHours.end/);
  });
});

describe('SLA deadlines', () => {
  const base = { pausedWorkingSeconds: 0, pausedCalendarSeconds: 0, firstRespondedAt: null, resolvedAt: null };

  it('when a consultation is opened on Saturday night, then the 24 h reply deadline runs in calendar hours', () => {
    const d = computeDeadlines(DEFAULT_SLA_POLICIES.consultation, { ...base, startedAt: sh('2026-11-28T22:00:00') }, calendar, 0.8);
    expect(d.dueAt).toEqual(sh('2026-11-29T22:00:00'));
    expect(d.warnAt).toEqual(new Date(sh('2026-11-28T22:00:00').getTime() + 0.8 * 24 * HOUR));
    expect(d.target).toBe('first_response');
  });

  it('when a complaint is opened, then its solution is due in 48 h and there is no first-response deadline', () => {
    const d = computeDeadlines(DEFAULT_SLA_POLICIES.complaint, { ...base, startedAt: sh('2026-11-27T17:30:00') }, calendar, 0.8);
    expect(d.firstResponseDueAt).toBeNull();
    expect(d.resolutionDueAt).toEqual(sh('2026-11-29T17:30:00'));
    expect(d.target).toBe('resolution');
  });

  it('when a return is asked for at 17:30 on Friday, then the reply is due at 17:30 on Monday and the warning at 80 % of the working time', () => {
    const d = computeDeadlines(DEFAULT_SLA_POLICIES.return, { ...base, startedAt: sh('2026-11-27T17:30:00') }, calendar, 0.8);
    expect(d.dueAt).toEqual(sh('2026-11-30T17:30:00'));
    // 80 % of 9 h = 7.2 h: 0.5 h on Friday, 6.7 h on Monday -> 15:42.
    expect(d.warnAt).toEqual(sh('2026-11-30T15:42:00'));
  });

  it('when an order issue comes in on a holiday, then the 2 working hours start the next working morning', () => {
    const d = computeDeadlines(DEFAULT_SLA_POLICIES.order_issue, { ...base, startedAt: sh('2026-05-03T12:00:00') }, calendar, 0.8);
    expect(d.dueAt).toEqual(sh('2026-05-06T11:00:00'));
  });

  it('when the first response was given, then the running deadline moves to resolution (or none)', () => {
    const privacy = computeDeadlines(DEFAULT_SLA_POLICIES.privacy_request, { ...base, startedAt: sh('2026-11-26T10:00:00'), firstRespondedAt: sh('2026-11-26T11:00:00') }, calendar, 0.8);
    expect(privacy.target).toBe('resolution');
    expect(privacy.dueAt).toEqual(sh('2026-12-10T10:00:00'));
    const consultation = computeDeadlines(DEFAULT_SLA_POLICIES.consultation, { ...base, startedAt: sh('2026-11-26T10:00:00'), firstRespondedAt: sh('2026-11-26T11:00:00') }, calendar, 0.8);
    expect(consultation.dueAt).toBeNull();
  });

  it('when a repair waits on the customer from Friday 16:00 to Monday 11:00, then the deadline moves out by the 4 paused working hours', () => {
    const startedAt = sh('2026-11-26T10:00:00'); // Thursday; 2 working days -> Monday 10:00
    const before = computeDeadlines(DEFAULT_SLA_POLICIES.repair, { ...base, startedAt }, calendar, 0.8);
    expect(before.dueAt).toEqual(sh('2026-11-30T10:00:00'));
    const paused = pausedBetween(sh('2026-11-27T16:00:00'), sh('2026-11-30T11:00:00'), calendar);
    expect(paused.working).toBe(4 * 3600);
    const after = computeDeadlines(DEFAULT_SLA_POLICIES.repair, { ...base, startedAt, pausedWorkingSeconds: paused.working, pausedCalendarSeconds: paused.calendar }, calendar, 0.8);
    expect(after.dueAt).toEqual(sh('2026-11-30T14:00:00'));
  });

  it('when a complaint waits on the customer for 10 calendar hours, then its 48 h deadline moves out by 10 hours', () => {
    const startedAt = sh('2026-11-26T10:00:00');
    const paused = pausedBetween(sh('2026-11-26T20:00:00'), sh('2026-11-27T06:00:00'), calendar);
    const after = computeDeadlines(DEFAULT_SLA_POLICIES.complaint, { ...base, startedAt, pausedWorkingSeconds: paused.working, pausedCalendarSeconds: paused.calendar }, calendar, 0.8);
    expect(after.dueAt).toEqual(sh('2026-11-28T20:00:00'));
  });

  it('when a category override is given, then it replaces that target only', () => {
    const policies = resolvePolicies({ complaint: { firstResponse: { amount: 4, unit: 'working_hours' } } });
    expect(policies.complaint).toEqual({ firstResponse: { amount: 4, unit: 'working_hours' }, resolution: { amount: 48, unit: 'hours' } });
    expect(policies.return).toEqual(DEFAULT_SLA_POLICIES.return);
  });
});
