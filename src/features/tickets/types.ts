import type { Actor } from '../../crm/audit';

/** Ticket vocabularies. They mirror the Prisma enums in prisma/models.prisma (one list each, used by zod and tests). */
export const TICKET_STATUSES = ['NEW', 'OPEN', 'PENDING_CUSTOMER', 'ESCALATED', 'RESOLVED', 'REOPENED', 'CLOSED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_CATEGORIES = [
  'consultation',
  'complaint',
  'return',
  'exchange',
  'repair',
  'order_issue',
  'privacy_request',
  'other',
] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const COMPLAINT_TYPES = ['product_quality', 'service_attitude', 'logistics', 'other'] as const;
export type ComplaintType = (typeof COMPLAINT_TYPES)[number];

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const AGENT_ROLES = ['agent', 'supervisor', 'manager', 'crm_head', 'auditor', 'admin'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export const TICKET_EVENT_TYPES = [
  'CREATED',
  'STATUS_CHANGED',
  'ASSIGNED',
  'COMMENT',
  'NOTE',
  'PRIORITY_CHANGED',
  'SLA_WARNING',
  'SLA_BREACH',
] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

/** Who acts on a ticket: the audit actor, plus the agent's role when it is an agent. */
export interface TicketActor extends Actor {
  role?: AgentRole;
}

export const SYSTEM_ACTOR: TicketActor = { type: 'system', id: 'sla-watch' };

/** The next priority up (urgent stays urgent). */
export function raisedPriority(priority: TicketPriority): TicketPriority {
  const i = TICKET_PRIORITIES.indexOf(priority);
  return TICKET_PRIORITIES[Math.min(i + 1, TICKET_PRIORITIES.length - 1)];
}

/** The event a new ticket is recorded as (surveys subscribe: a return opened in chat is a finished self-service task). */
export const TICKET_OPENED = 'ticket.opened';

export interface TicketOpened {
  ticketId: string;
  number: string;
  category: TicketCategory;
  customerId: string;
  conversationId: string | null;
  /** Who opened it: customer (in chat, self-service), agent, bot, system. */
  by: TicketActor['type'];
}

/** The ticket.opened event of a new ticket. */
export function ticketOpenedEvent(ticket: Omit<TicketOpened, 'ticketId' | 'by'> & { id: string }, by: TicketActor['type']): { type: string; subject: string; payload: TicketOpened } {
  const payload: TicketOpened = { ticketId: ticket.id, number: ticket.number, category: ticket.category, customerId: ticket.customerId, conversationId: ticket.conversationId, by };
  return { type: TICKET_OPENED, subject: `Ticket:${ticket.id}`, payload };
}
