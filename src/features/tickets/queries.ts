import type { Prisma, Ticket } from '../../../generated/sqlite/client';
import type { Db } from '../../store/db';
import { extractTicketNumber } from './numbering';
import type { TicketCategory, TicketPriority, TicketStatus } from './types';

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

export function ticketWhere(filter: TicketFilter, now: Date, scope?: Prisma.TicketWhereInput): Prisma.TicketWhereInput {
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
    else if (/^T\d{1,12}$/i.test(q)) and.push({ number: { startsWith: q.toUpperCase() } });
    else and.push({ summary: { contains: q } });
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
  const where = ticketWhere(filter, now, scope);
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
