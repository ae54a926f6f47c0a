import type { Prisma } from '../../store/records';
import type { Db } from '../../store/db';
import { extractTicketNumber } from './numbering';
import type { TicketCategory, TicketPriority, TicketStatus, Ticket } from './types';

export interface TicketFilter {
  status?: TicketStatus[];
  category?: TicketCategory[];
  priority?: TicketPriority[];
  /** An agent id, or null for unassigned tickets. */
  assigneeId?: string | null;
  ownerId?: string | null;
  customerId?: string;
  /** Past their running deadline and not resolved or closed. */
  overdue?: boolean;
  createdFrom?: Date;
  createdTo?: Date;
  /** A ticket number (or its beginning), or words of the summary. */
  q?: string;
  sort?: 'due' | 'created';
  page?: number;
  limit?: number;
}

export interface TicketPage {
  items: Ticket[];
  page: number;
  limit: number;
  hasMore: boolean;
}

const UNSETTLED: TicketStatus[] = ['NEW', 'OPEN', 'PENDING_CUSTOMER', 'ESCALATED', 'REOPENED'];

/** The words of a search that is neither a ticket number nor its beginning (T202611), or undefined. */
function summaryWords(q: string | undefined): string | undefined {
  const t = q?.trim();
  return t && !extractTicketNumber(t) && !/^T\d{1,12}$/i.test(t) ? t : undefined;
}

/** A summary search looks at the newest this many tickets that contain the words. */
export const SUMMARY_SEARCH_LIMIT = 2000;

/**
 * The ids of the tickets whose summary contains `text` as typed, in any case, newest first. `%`,
 * `_` and `\\` are matched as themselves: Prisma's `contains` passes them to LIKE as wildcards (`q=%`
 * matched every ticket), and SQLite's LIKE knows no escape character unless told (ESCAPE).
 */
async function summaryMatches(db: Db, text: string): Promise<string[]> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Ticket" WHERE lower("summary") LIKE ${pattern} ESCAPE '\\' ORDER BY "createdAt" DESC LIMIT ${SUMMARY_SEARCH_LIMIT}`;
  return rows.map((r) => r.id);
}

/** `summaryIds`: the tickets a text search found (summaryMatches), when the filter has one. */
export function ticketWhere(filter: TicketFilter, now: Date, scope?: Prisma.TicketWhereInput, summaryIds?: string[]): Prisma.TicketWhereInput {
  const and: Prisma.TicketWhereInput[] = [];
  if (scope) and.push(scope);
  if (filter.status?.length) and.push({ status: { in: filter.status } });
  if (filter.category?.length) and.push({ category: { in: filter.category } });
  if (filter.priority?.length) and.push({ priority: { in: filter.priority } });
  if (filter.assigneeId !== undefined) and.push({ assigneeId: filter.assigneeId });
  if (filter.ownerId !== undefined) and.push({ ownerId: filter.ownerId });
  if (filter.customerId) and.push({ customerId: filter.customerId });
  if (filter.overdue === true) and.push({ dueAt: { lt: now }, status: { in: UNSETTLED } });
  if (filter.overdue === false) and.push({ OR: [{ dueAt: null }, { dueAt: { gte: now } }, { status: { notIn: UNSETTLED } }] });
  if (filter.createdFrom) and.push({ createdAt: { gte: filter.createdFrom } });
  if (filter.createdTo) and.push({ createdAt: { lt: filter.createdTo } });
  const q = filter.q?.trim();
  if (q) {
    // A whole ticket number is looked up exactly (unique index); its beginning (T202611) as a prefix.
    const whole = extractTicketNumber(q);
    if (whole) and.push({ number: whole });
    else if (summaryWords(q) === undefined) and.push({ number: { startsWith: q.toUpperCase() } });
    else and.push({ id: { in: summaryIds ?? [] } });
  }
  return and.length ? { AND: and } : {};
}

/**
 * A page of tickets, newest first, or by running deadline: soonest first, then the tickets without
 * one (settled, or answered with no resolution target) newest first. The deadline part is read in
 * index order (dueAt, id) with `dueAt IS NOT NULL`, so a page costs a few index steps instead of
 * sorting every matching ticket (see test/bench/tickets.ts).
 */
export async function listTickets(db: Db, filter: TicketFilter, now: Date, scope?: Prisma.TicketWhereInput): Promise<TicketPage> {
  const page = Math.max(1, filter.page ?? 1);
  const limit = Math.min(200, Math.max(1, filter.limit ?? 50));
  const skip = (page - 1) * limit;
  const words = summaryWords(filter.q);
  const summaryIds = words === undefined ? undefined : await summaryMatches(db, words);
  const where = ticketWhere(filter, now, scope, summaryIds);
  let rows: Ticket[];
  if (filter.sort === 'created') {
    rows = await db.ticket.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip, take: limit + 1 });
  } else {
    const withDue: Prisma.TicketWhereInput = { AND: [where, { dueAt: { not: null } }] };
    rows = await db.ticket.findMany({ where: withDue, orderBy: [{ dueAt: 'asc' }, { id: 'asc' }], skip, take: limit + 1 });
    if (rows.length < limit + 1) {
      const dueCount = rows.length > 0 ? skip + rows.length : await db.ticket.count({ where: withDue });
      const rest = await db.ticket.findMany({
        where: { AND: [where, { dueAt: null }] },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: Math.max(0, skip - dueCount),
        take: limit + 1 - rows.length,
      });
      rows = rows.concat(rest);
    }
  }
  return { items: rows.slice(0, limit), page, limit, hasMore: rows.length > limit };
}
