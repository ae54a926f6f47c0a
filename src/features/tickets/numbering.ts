import type { Prisma } from '../../store/records';
import { shopDate } from '../../calendar/shopDate';

/**
 * Ticket numbers customers can read and type: "T" + the shop-local date (yyyymmdd) + a daily
 * sequence of at least 4 digits, e.g. T202611260001. The 10 000th ticket of a day gets 5 digits.
 */
export const TICKET_NUMBER_RE = /\bT(\d{8})(\d{4,5})\b/i;

export function formatTicketNumber(day: string, sequence: number): string {
  return `T${day}${String(sequence).padStart(4, '0')}`;
}

/** The first ticket number in a text (any case), normalised to upper case, or undefined. */
export function extractTicketNumber(text: string | undefined | null): string | undefined {
  const m = TICKET_NUMBER_RE.exec(text ?? '');
  return m ? `T${m[1]}${m[2]}` : undefined;
}

/** yyyymmdd of an instant in the shop's time zone. */
export function shopDay(at: Date, timeZone: string): string {
  return shopDate(at, timeZone).replace(/-/g, '');
}

/**
 * Takes the next sequence number of a day inside the caller's transaction. One statement
 * (INSERT ... ON CONFLICT DO UPDATE ... RETURNING) on both providers: on PostgreSQL the row lock it
 * takes serialises concurrent openings until their transactions end; SQLite serialises writers.
 */
export async function nextSequence(tx: Prisma.TransactionClient, day: string): Promise<number> {
  const rows = await tx.$queryRaw<{ value: number | bigint }[]>`
    INSERT INTO "TicketSequence" ("day", "value") VALUES (${day}, 1)
    ON CONFLICT ("day") DO UPDATE SET "value" = "TicketSequence"."value" + 1
    RETURNING "value"`;
  return Number(rows[0].value);
}

export async function allocateTicketNumber(tx: Prisma.TransactionClient, at: Date, timeZone: string): Promise<string> {
  const day = shopDay(at, timeZone);
  return formatTicketNumber(day, await nextSequence(tx, day));
}
