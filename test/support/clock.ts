/** A Shanghai wall-clock time (UTC+8) as an instant: sh('2026-11-26T10:00:00'). */
export const sh = (local: string): Date => new Date(`${local}+08:00`);

/**
 * The tests' "now": Thursday 2026-11-26 10:00 in Shanghai, a working day inside the working-day
 * calendar's year (src/calendar/calendar.cn.json covers 2026), so deadlines, ticket numbers and the
 * demo shop's dates are the same on every run, whatever the real date.
 */
export const TEST_NOW = sh('2026-11-26T10:00:00');

/** A settable clock for the services under test (it does not move unless set). */
export class TestClock {
  constructor(public current: Date = TEST_NOW) {}
  set(at: Date): void {
    this.current = at;
  }
  readonly now = (): Date => this.current;
}
