/** Minutes since local midnight of an "HH:MM" setting. */
function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/**
 * Quiet hours in the shop's time zone (e.g. 21:00-09:00, across midnight; equal start and end: none).
 * `deferred(at)` is `at` itself outside them, else the end of the quiet hours that contain it.
 */
export class QuietHours {
  private readonly start: number;
  private readonly end: number;
  private readonly parts: Intl.DateTimeFormat;

  constructor(start: string, end: string, timeZone: string) {
    this.start = minutesOf(start);
    this.end = minutesOf(end);
    this.parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' });
  }

  private localMinutes(at: Date): number {
    const parts = Object.fromEntries(this.parts.formatToParts(at).map((p) => [p.type, p.value]));
    return Number(parts.hour) * 60 + Number(parts.minute);
  }

  contains(at: Date): boolean {
    if (this.start === this.end) return false;
    const m = this.localMinutes(at);
    return this.start < this.end ? m >= this.start && m < this.end : m >= this.start || m < this.end;
  }

  deferred(at: Date): Date {
    if (!this.contains(at)) return at;
    const minutes = (this.end - this.localMinutes(at) + 24 * 60) % (24 * 60);
    const startOfMinute = at.getTime() - (at.getTime() % 60_000);
    return new Date(startOfMinute + minutes * 60_000);
  }
}
