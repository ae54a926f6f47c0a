const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The shop-local date of an instant, YYYY-MM-DD, in `timeZone` (the shop's TIMEZONE): the day a
 * ticket number, a retention run, a points expiry or a holiday greeting belongs to. One formatter per
 * time zone, kept (making one costs far more than using it).
 */
export function shopDate(at: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  return format.format(at);
}
