import type { Actor } from '../../crm/audit';
import type { Agent as AgentRow, RowFits, Ticket as TicketRow, TicketEvent as TicketEventRow } from '../../store/records';

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

/*
 * Tickets, their history and the staff who work them, as the tickets feature and its callers see them:
 * the domain's own types, not the generated client's. The store's rows fit them (checked below).
 */

/** A ticket: what the desk, the dialogs, the SLA watch and the API work with. */
export interface Ticket {
  id: string;
  /** T + shop-local yyyymmdd + daily sequence, e.g. T202611260001. */
  number: string;
  customerId: string;
  /** The conversation it was opened in: status changes are sent there. */
  conversationId: string | null;
  /** That conversation's channel, kept when the conversation is deleted. */
  channelId: string | null;
  orderId: string | null;
  /** The item a return or exchange is for (one open return per item); null for the whole order. */
  orderItemId: string | null;
  category: TicketCategory;
  complaintType: ComplaintType | null;
  priority: TicketPriority;
  status: TicketStatus;
  /** What the ticket is about, in the customer's language; the bot puts no phone, e-mail or address in it (contactPhone holds a callback number). */
  summary: string;
  /** The number the customer asked to be called back on (a repair), sealed at rest like the customer's own phone. */
  contactPhone: string | null;
  /** The language the customer used when the ticket was opened. */
  locale: string | null;
  /** First-contact responsibility: the first agent who took the ticket; never changes once set. */
  ownerId: string | null;
  assigneeId: string | null;
  /** The share of the category's SLA targets this ticket has: 1, or less for a valued customer (TICKETS_SLA_VALUED_FACTOR), fixed when it opens. */
  slaFactor: number;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  /** The deadline that currently runs (first response, then resolution); null when none. */
  dueAt: Date | null;
  /** first_response | resolution: which deadline dueAt is. */
  slaTarget: string | null;
  /** When the SLA watch must warn about dueAt (cleared once warned). */
  slaWarnAt: Date | null;
  /** When the SLA watch must record a breach of dueAt (cleared once recorded). */
  slaBreachAt: Date | null;
  firstRespondedAt: Date | null;
  /** Set while the SLA clock is paused (PENDING_CUSTOMER, RESOLVED). */
  pausedAt: Date | null;
  /** Paused time so far, in working seconds (working-time targets) and calendar seconds (hour targets). */
  pausedWorkingSeconds: number;
  pausedCalendarSeconds: number;
  resolutionSummary: string | null;
  /** Optimistic concurrency: every write increments it. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
}

/** One entry of a ticket's history. */
export interface TicketEvent {
  id: string;
  ticketId: string;
  type: TicketEventType;
  /** customer | agent | bot | system */
  actorType: string;
  actorId: string | null;
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus | null;
  /** Comment or note text, or the reason of a change. */
  body: string | null;
  data: unknown;
  /** Makes once-only events (SLA warning / breach per target) unique per ticket. */
  onceKey: string | null;
  createdAt: Date;
}

/** A member of staff: an agent, a supervisor, a manager, ... */
export interface Agent {
  id: string;
  name: string;
  role: AgentRole;
  /** sha256 (hex) of the bearer token; the token itself is shown once and never stored. */
  tokenHash: string;
  active: boolean;
  /** Staff sign-in (src/staff): a unique login and an argon2id hash of the password; null = API token only. */
  login: string | null;
  passwordHash: string | null;
  /** Failed sign-ins in a row; at STAFF_LOCKOUT_ATTEMPTS the account is locked until lockedUntil. */
  failedSignIns: number;
  lockedUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The store's rows are these types (a model change that breaks them fails the type check here). */
export type TicketRowsFit = [RowFits<TicketRow, Ticket>, RowFits<TicketEventRow, TicketEvent>, RowFits<AgentRow, Agent>];
