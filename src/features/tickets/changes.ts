import type { Prisma } from '../../store/records';
import type { TicketCategory, TicketEventType, TicketStatus, Ticket, TicketEvent } from './types';

/** The shapes of a change to a ticket and of what it tells the customer and the staff (TicketService). */

/** What the customer is told about, as a proactive message in the conversation of the ticket. */
export type NoticeKind = 'opened' | 'waiting' | 'resolved' | 'reopened' | 'closed' | 'comment';

export interface CustomerNotice {
  kind: NoticeKind;
  ticketId: string;
  number: string;
  customerId: string;
  conversationId: string | null;
  category: TicketCategory;
  status: TicketStatus;
  dueAt: Date | null;
  /** The comment text (kind "comment") or resolution summary (kind "resolved"). */
  body?: string | null;
}

/** The event a customer notice travels as (subscribed by TicketNotifier). */
export const TICKET_NOTICE = 'ticket.notice';

export interface WriteOptions {
  /** Refuse (409) when the ticket's version is not this one. */
  expectedVersion?: number;
  /** Throws (e.g. forbidden) when the actor may not change this ticket. */
  authorize?: (ticket: Ticket) => void;
}

export interface NewEvent {
  type: TicketEventType;
  fromStatus?: TicketStatus;
  toStatus?: TicketStatus;
  body?: string | null;
  data?: unknown;
  onceKey?: string;
}

/** One change to a ticket: the fields, the history events, and what the customer is told. */
export interface TicketChange {
  action: string;
  data: Prisma.TicketUncheckedUpdateInput;
  events: NewEvent[];
  notices: NoticeKind[];
  noticeBody?: string | null;
  reason?: string;
  /** Who on the staff must hear of the change (recorded as a TICKET_CUSTOMER_REPLIED event with it). */
  customerReply?: string;
}

/** The event a customer's answer to a ticket waiting on them travels as: its agent hears of it. */
export const TICKET_CUSTOMER_REPLIED = 'ticket.customer_replied';

export interface CustomerReplied {
  ticketId: string;
  number: string;
  /** The agent who holds the ticket, else the owner; null: nobody yet (the supervisors see it). */
  agentId: string | null;
  text: string;
}

export type TicketWithHistory = Ticket & { events: TicketEvent[] };
