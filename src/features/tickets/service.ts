import type { Prisma, Tx } from '../../store/records';
import { writeAudit } from '../../crm/audit';
import type { EventLog } from '../../events/eventLog';
import type { Db } from '../../store/db';
import { toJson } from '../../store/json';
import type { WorkingCalendar } from '../../calendar/calendar';
import { AppError } from '../../errors';
import { ITEM_NAME, type OpenTicketInput, type TicketWithItem } from './desk';
import { allocateTicketNumber, extractTicketNumber } from './numbering';
import { computeDeadlines, pausedBetween, scaledPolicy, type SlaPolicies, type SlaTarget } from './sla';
import { assertTransition, CLOCK_PAUSED, CLOCK_RUNNING } from './statusMachine';
import { ticketOpenedEvent, type TicketActor, type TicketStatus, type Ticket } from './types';
import { TICKET_CUSTOMER_REPLIED, TICKET_NOTICE, type CustomerNotice, type CustomerReplied, type NoticeKind, type NewEvent, type TicketChange, type TicketWithHistory, type WriteOptions } from './changes';


export * from './changes';

export interface TicketServiceDeps {
  db: Db;
  calendar: WorkingCalendar;
  policies: SlaPolicies;
  /** The shop's time zone (ticket numbers use its date). */
  timeZone: string;
  warnRatio: number;
  reopenWindowDays: number;
  clock?: () => Date;
  /** Where a change the customer should know about is recorded (as a ticket.notice event), in the change's transaction. */
  events: EventLog;
  /** The share of the SLA targets a customer's tickets get (valued customers may get shorter ones); default 1. */
  slaFactorFor?: (customerId: string) => Promise<number>;
}

export type { OpenTicketInput } from './desk';

const NOTICE_ON_ENTER: Partial<Record<TicketStatus, NoticeKind>> = {
  PENDING_CUSTOMER: 'waiting',
  RESOLVED: 'resolved',
  REOPENED: 'reopened',
  CLOSED: 'closed',
};

export function onceKey(kind: 'sla_warning' | 'sla_breach', target: SlaTarget): string {
  return `${kind}:${target}`;
}

function auditView(t: Pick<Ticket, 'status' | 'assigneeId' | 'ownerId' | 'priority' | 'dueAt' | 'version'>) {
  return { status: t.status, assigneeId: t.assigneeId, ownerId: t.ownerId, priority: t.priority, dueAt: t.dueAt, version: t.version };
}

/**
 * Tickets: open, change status, assign, comment to the customer, internal notes. Every write runs
 * in one transaction with its history event(s), its AuditLog row and, when the customer should
 * know, a ticket.notice event (delivered after the commit, at least once: src/events/), checks the
 * optimistic version and recomputes the SLA deadlines.
 */
export class TicketService {
  constructor(private readonly deps: TicketServiceDeps) {}

  get db(): Db {
    return this.deps.db;
  }

  now(): Date {
    return this.deps.clock?.() ?? new Date();
  }

  /** Opens a ticket: allocates its number, computes its deadlines, records it. */
  async open(input: OpenTicketInput): Promise<Ticket> {
    const summary = input.summary.trim();
    if (!summary) throw new AppError('invalid_request', 'A ticket needs a summary');
    if (input.complaintType && input.category !== 'complaint') {
      throw new AppError('invalid_request', 'A complaint type is only given for category complaint');
    }
    const now = this.now();
    const slaFactor = (await this.deps.slaFactorFor?.(input.customerId)) ?? 1;
    const policy = scaledPolicy(this.deps.policies[input.category], slaFactor);
    const d = computeDeadlines(policy, { startedAt: now, pausedWorkingSeconds: 0, pausedCalendarSeconds: 0, firstRespondedAt: null, resolvedAt: null }, this.deps.calendar, this.deps.warnRatio);
    return this.deps.db.$transaction(async (tx) => {
      const number = await allocateTicketNumber(tx, now, this.deps.timeZone);
      const conversation = input.conversationId ? await tx.conversation.findUnique({ where: { id: input.conversationId }, select: { channelId: true } }) : null;
      const ticket = await tx.ticket.create({
        data: {
          number,
          customerId: input.customerId,
          conversationId: input.conversationId ?? null,
          channelId: conversation?.channelId ?? null,
          orderId: input.orderId ?? null,
          orderItemId: input.orderItemId ?? null,
          category: input.category,
          complaintType: input.complaintType ?? null,
          priority: input.priority ?? 'normal',
          status: 'NEW',
          summary,
          contactPhone: input.contactPhone ?? null,
          locale: input.locale ?? null,
          slaFactor,
          firstResponseDueAt: d.firstResponseDueAt,
          resolutionDueAt: d.resolutionDueAt,
          dueAt: d.dueAt,
          slaTarget: d.target,
          slaWarnAt: d.warnAt,
          slaBreachAt: d.dueAt,
          createdAt: now,
          updatedAt: now,
        },
      });
      const created = { ticketId: ticket.id, type: 'CREATED', actorType: input.actor.type, actorId: input.actor.id ?? null, toStatus: 'NEW', body: summary, createdAt: now } as const;
      await tx.ticketEvent.create({ data: created });
      await this.deps.events.record(tx, [ticketOpenedEvent(ticket, input.actor.type)], now);
      await writeAudit(tx, {
        actor: input.actor,
        action: 'ticket.create',
        entity: 'Ticket',
        entityId: ticket.id,
        after: { number, category: ticket.category, priority: ticket.priority, status: ticket.status, dueAt: ticket.dueAt },
      });
      return ticket;
    });
  }

  /** A ticket by number (T2026...) or id; throws not_found. */
  async get(ref: string): Promise<Ticket> {
    return this.load(this.deps.db, ref);
  }

  async getWithHistory(ref: string): Promise<TicketWithHistory> {
    const ticket = await this.load(this.deps.db, ref);
    const events = await this.deps.db.ticketEvent.findMany({ where: { ticketId: ticket.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return { ...ticket, events };
  }

  /** A customer's most recently updated tickets (the chat's "my tickets"). */
  /** The customer's latest tickets, each with the item it is for (a return names it). */
  listForCustomer(customerId: string, limit = 5): Promise<TicketWithItem[]> {
    return this.deps.db.ticket.findMany({ where: { customerId }, orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }], take: limit, include: ITEM_NAME });
  }

  /** The open returns and exchanges of an order (one open return per item). */
  openReturns(orderId: string): Promise<Ticket[]> {
    return this.deps.db.ticket.findMany({ where: { orderId, category: { in: ['return', 'exchange'] }, status: { notIn: ['RESOLVED', 'CLOSED'] } } });
  }

  /** The customer's own ticket with this number, or undefined (another customer's ticket is not found). */
  async findForCustomer(customerId: string, number: string): Promise<Ticket | undefined> {
    const normalized = extractTicketNumber(number);
    if (!normalized) return undefined;
    const ticket = await this.deps.db.ticket.findUnique({ where: { number: normalized } });
    return ticket && ticket.customerId === customerId ? ticket : undefined;
  }

  async changeStatus(
    ref: string,
    to: TicketStatus,
    actor: TicketActor,
    options: WriteOptions & { reason?: string; resolutionSummary?: string } = {},
  ): Promise<Ticket> {
    return this.write(ref, actor, options, (ticket, now) => {
      assertTransition(ticket.status, to, { actor, now, resolvedAt: ticket.resolvedAt, reopenWindowDays: this.deps.reopenWindowDays });
      return this.statusChange(ticket, to, actor, now, options);
    });
  }

  /** The change of a status move (also used by the SLA watch inside its own transaction). */
  statusChange(ticket: Ticket, to: TicketStatus, actor: TicketActor, now: Date, options: { reason?: string; resolutionSummary?: string } = {}): TicketChange {
    const data: Prisma.TicketUncheckedUpdateInput = { status: to };
    const events: NewEvent[] = [];
    const notices: NoticeKind[] = [];
    if (to === 'RESOLVED') {
      const summary = options.resolutionSummary?.trim();
      if (!summary) throw new AppError('invalid_request', 'Resolving a ticket needs a resolutionSummary');
      data.resolutionSummary = summary;
      data.resolvedAt = now;
      data.firstRespondedAt = ticket.firstRespondedAt ?? now;
    }
    if (to === 'PENDING_CUSTOMER') data.firstRespondedAt = ticket.firstRespondedAt ?? now;
    if (to === 'REOPENED') data.resolvedAt = null;
    if (to === 'CLOSED') data.closedAt = now;
    if (ticket.status === 'ESCALATED' && to === 'OPEN' && actor.type === 'agent' && actor.id && ticket.assigneeId !== actor.id) {
      // A supervisor takes the escalated ticket.
      Object.assign(data, this.assignment(ticket, actor.id));
      events.push({ type: 'ASSIGNED', data: { from: ticket.assigneeId, to: actor.id } });
    } else {
      this.takeIfUnassigned(ticket, actor, data, events);
    }
    events.push({ type: 'STATUS_CHANGED', fromStatus: ticket.status, toStatus: to, body: options.reason ?? null, data: to === 'RESOLVED' ? { resolutionSummary: data.resolutionSummary } : undefined });
    const notice = ticket.status === 'NEW' && to === 'OPEN' ? 'opened' : NOTICE_ON_ENTER[to];
    if (notice) notices.push(notice);
    return { action: 'ticket.status', data, events, notices, noticeBody: to === 'RESOLVED' ? (data.resolutionSummary as string) : null, reason: options.reason ?? (to === 'RESOLVED' ? (data.resolutionSummary as string | undefined) : undefined) };
  }

  async assign(ref: string, assigneeId: string | null, actor: TicketActor, options: WriteOptions = {}): Promise<Ticket> {
    if (assigneeId) {
      const agent = await this.deps.db.agent.findUnique({ where: { id: assigneeId }, select: { active: true, role: true } });
      if (!agent?.active) throw new AppError('invalid_request', `No active agent ${assigneeId} to assign the ticket to`);
      // Managers and admins read tickets; the person a ticket is assigned to must be able to work it.
      if (agent.role !== 'agent' && agent.role !== 'supervisor') throw new AppError('invalid_request', `${assigneeId} is a ${agent.role}: tickets go to agents and supervisors`);
    }
    return this.write(ref, actor, options, (ticket) => {
      if (ticket.status === 'CLOSED') throw new AppError('invalid_request', 'A closed ticket cannot be reassigned');
      if (ticket.assigneeId === assigneeId) throw new AppError('invalid_request', assigneeId ? 'The ticket is already assigned to this agent' : 'The ticket is not assigned');
      return {
        action: 'ticket.assign',
        data: assigneeId ? this.assignment(ticket, assigneeId) : { assigneeId: null },
        events: [{ type: 'ASSIGNED', data: { from: ticket.assigneeId, to: assigneeId } }],
        notices: [],
      };
    });
  }

  /** A comment to the customer: it is sent to them, and counts as the first response. */
  async comment(ref: string, body: string, actor: TicketActor, options: WriteOptions = {}): Promise<Ticket> {
    const text = body.trim();
    if (!text) throw new AppError('invalid_request', 'A comment needs a body');
    return this.write(ref, actor, options, (ticket, now) => {
      if (ticket.status === 'CLOSED') throw new AppError('invalid_request', 'A closed ticket takes no more comments to the customer');
      const data: Prisma.TicketUncheckedUpdateInput = {};
      const events: NewEvent[] = [];
      if (actor.type === 'agent' && !ticket.firstRespondedAt) data.firstRespondedAt = now;
      this.takeIfUnassigned(ticket, actor, data, events);
      events.push({ type: 'COMMENT', body: text });
      return { action: 'ticket.comment', data, events, notices: ['comment'], noticeBody: text };
    });
  }

  /**
   * The customer's answer to a ticket that waits on them (PENDING_CUSTOMER): kept in its history as
   * their comment, the ticket back to OPEN (its clock runs again), and its agent told.
   */
  async customerReply(ref: string, body: string, customerId: string): Promise<Ticket> {
    const text = body.trim();
    if (!text) throw new AppError('invalid_request', 'A reply needs a body');
    return this.write(ref, { type: 'customer', id: customerId }, {}, (ticket) => {
      if (ticket.status !== 'PENDING_CUSTOMER') throw new AppError('conflict', `Ticket ${ticket.number} no longer waits for the customer`);
      return {
        action: 'ticket.customer_reply',
        data: { status: 'OPEN' },
        events: [
          { type: 'COMMENT', body: text },
          { type: 'STATUS_CHANGED', fromStatus: ticket.status, toStatus: 'OPEN', body: null },
        ],
        notices: [],
        customerReply: text,
      };
    });
  }

  /** An internal note: history only, never shown to the customer. */
  async note(ref: string, body: string, actor: TicketActor, options: WriteOptions = {}): Promise<Ticket> {
    const text = body.trim();
    if (!text) throw new AppError('invalid_request', 'A note needs a body');
    return this.write(ref, actor, options, () => ({ action: 'ticket.note', data: {}, events: [{ type: 'NOTE', body: text }], notices: [] }));
  }

  /**
   * Applies a change inside the caller's transaction: the clock (pause / resume), the deadlines,
   * the versioned update, the events and the audit row. Returns the updated ticket, or undefined
   * when the version moved on (someone else changed the ticket first).
   */
  async applyChange(tx: Tx, ticket: Ticket, change: TicketChange, actor: TicketActor, now: Date): Promise<Ticket | undefined> {
    const data: Prisma.TicketUncheckedUpdateInput = { ...change.data, updatedAt: now, version: { increment: 1 } };
    const next = { ...ticket, ...(change.data as Partial<Ticket>) };
    const status = next.status;

    let pausedAt = ticket.pausedAt;
    let pausedWorkingSeconds = ticket.pausedWorkingSeconds;
    let pausedCalendarSeconds = ticket.pausedCalendarSeconds;
    if (pausedAt && CLOCK_RUNNING.includes(status)) {
      const paused = pausedBetween(pausedAt, now, this.deps.calendar);
      pausedWorkingSeconds += paused.working;
      pausedCalendarSeconds += paused.calendar;
      pausedAt = null;
    } else if (!pausedAt && CLOCK_PAUSED.includes(status)) {
      pausedAt = now;
    }
    Object.assign(data, { pausedAt, pausedWorkingSeconds, pausedCalendarSeconds });

    const d = computeDeadlines(
      scaledPolicy(this.deps.policies[ticket.category], ticket.slaFactor),
      { startedAt: ticket.createdAt, pausedWorkingSeconds, pausedCalendarSeconds, firstRespondedAt: next.firstRespondedAt ?? null, resolvedAt: next.resolvedAt ?? null },
      this.deps.calendar,
      this.deps.warnRatio,
    );
    const closed = status === 'CLOSED';
    // Warnings and breaches already recorded (including by this change) are not watched for again.
    const done = new Set(
      (await tx.ticketEvent.findMany({ where: { ticketId: ticket.id, onceKey: { not: null } }, select: { onceKey: true } })).map((e) => e.onceKey),
    );
    for (const e of change.events) if (e.onceKey) done.add(e.onceKey);
    const watched = !closed && d.target !== null && CLOCK_RUNNING.includes(status);
    Object.assign(data, {
      firstResponseDueAt: d.firstResponseDueAt,
      resolutionDueAt: d.resolutionDueAt,
      dueAt: closed ? null : d.dueAt,
      slaTarget: closed ? null : d.target,
      slaWarnAt: watched && d.target && !done.has(onceKey('sla_warning', d.target)) && !done.has(onceKey('sla_breach', d.target)) ? d.warnAt : null,
      slaBreachAt: watched && d.target && !done.has(onceKey('sla_breach', d.target)) ? d.dueAt : null,
    });

    const result = await tx.ticket.updateMany({ where: { id: ticket.id, version: ticket.version }, data: data as Prisma.TicketUncheckedUpdateManyInput });
    if (result.count !== 1) return undefined;
    for (const e of change.events) {
      await tx.ticketEvent.create({
        data: {
          ticketId: ticket.id,
          type: e.type,
          actorType: actor.type,
          actorId: actor.id ?? null,
          fromStatus: e.fromStatus ?? null,
          toStatus: e.toStatus ?? null,
          body: e.body ?? null,
          data: e.data === undefined ? undefined : toJson(e.data),
          onceKey: e.onceKey ?? null,
          createdAt: now,
        },
      });
    }
    const updated = await tx.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    await this.deps.events.record(
      tx,
      [
        ...change.notices.map((kind) => ({ type: TICKET_NOTICE, subject: `Ticket:${updated.id}`, payload: this.notice(kind, updated, change.noticeBody) })),
        ...(change.customerReply === undefined
          ? []
          : [{ type: TICKET_CUSTOMER_REPLIED, subject: `Ticket:${updated.id}`, payload: { ticketId: updated.id, number: updated.number, agentId: updated.assigneeId ?? updated.ownerId, text: change.customerReply } satisfies CustomerReplied }]),
      ],
      now,
    );
    await writeAudit(tx, {
      actor,
      action: change.action,
      entity: 'Ticket',
      entityId: ticket.id,
      before: auditView(ticket),
      after: { ...auditView(updated), events: change.events.map((e) => e.type) },
      reason: change.reason,
    });
    return updated;
  }

  private async write(ref: string, actor: TicketActor, options: WriteOptions, plan: (ticket: Ticket, now: Date) => TicketChange): Promise<Ticket> {
    const now = this.now();
    return this.deps.db.$transaction(async (tx) => {
      const current = await this.load(tx, ref);
      options.authorize?.(current);
      if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        throw new AppError('conflict', `The ticket is at version ${current.version}, not ${options.expectedVersion}: reload it and retry`);
      }
      const change = plan(current, now);
      const updated = await this.applyChange(tx, current, change, actor, now);
      if (!updated) throw new AppError('conflict', 'The ticket was changed by someone else at the same time: reload it and retry');
      return updated;
    });
  }

  private notice(kind: NoticeKind, ticket: Ticket, body: string | null | undefined): CustomerNotice {
    return {
      kind,
      ticketId: ticket.id,
      number: ticket.number,
      customerId: ticket.customerId,
      conversationId: ticket.conversationId,
      category: ticket.category,
      status: ticket.status,
      dueAt: ticket.dueAt,
      body: body ?? null,
    };
  }

  private assignment(ticket: Ticket, agentId: string): Prisma.TicketUncheckedUpdateInput {
    // First-contact responsibility: the first agent to hold the ticket owns it for good.
    return ticket.ownerId ? { assigneeId: agentId } : { assigneeId: agentId, ownerId: agentId };
  }

  /** An agent who works on an unassigned ticket takes it. */
  private takeIfUnassigned(ticket: Ticket, actor: TicketActor, data: Prisma.TicketUncheckedUpdateInput, events: NewEvent[]): void {
    if (actor.type !== 'agent' || !actor.id || ticket.assigneeId) return;
    Object.assign(data, this.assignment(ticket, actor.id));
    events.push({ type: 'ASSIGNED', data: { from: null, to: actor.id } });
  }

  private async load(db: Db | Tx, ref: string): Promise<Ticket> {
    const number = extractTicketNumber(ref);
    const ticket = number && number === ref.toUpperCase()
      ? await db.ticket.findUnique({ where: { number } })
      : await db.ticket.findUnique({ where: { id: ref } });
    if (!ticket) throw new AppError('not_found', `No ticket ${ref}`);
    return ticket;
  }
}
