import type { Prisma } from '../../store/records';
import type { EventLog } from '../../events/eventLog';
import type { Logger } from '../../logger';
import type { Store } from '../../store/db';
import { onceKey, type NewEvent, type TicketChange, type TicketService } from './service';
import type { SlaTarget } from './sla';
import { canTransition, CLOCK_RUNNING } from './statusMachine';
import { raisedPriority, SYSTEM_ACTOR, type Ticket } from './types';

/** PostgreSQL advisory lock key of the SLA watch (one runner at a time across instances). */
export const SLA_WATCH_LOCK = 0x6b660004;

/** Who is told about an SLA warning or breach. */
export type AlertRecipient = { type: 'agent'; id: string } | { type: 'queue'; name: 'unassigned' | 'supervisors' };

export interface SlaAlert {
  kind: 'warning' | 'breach';
  ticketId: string;
  number: string;
  target: SlaTarget;
  dueAt: Date;
  recipient: AlertRecipient;
  escalated: boolean;
}

export interface SlaWatchDeps {
  store: Pick<Store, 'db' | 'provider'>;
  tickets: TicketService;
  /** Where each warning and breach is recorded (a ticket.sla_alert event), in the run's transaction. */
  events: EventLog;
  /** Most tickets handled per run. */
  batch: number;
  logger?: Logger;
}

/** The event an SLA warning or breach travels as: the agents and supervisors it concerns hear of it. */
export const SLA_ALERT = 'ticket.sla_alert';

export interface SlaWatchResult {
  /** True when another instance held the lock and this run did nothing. */
  skipped: boolean;
  warnings: number;
  breaches: number;
  escalations: number;
}

function warningRecipient(t: Ticket): AlertRecipient {
  if (t.ownerId) return { type: 'agent', id: t.ownerId };
  if (t.assigneeId) return { type: 'agent', id: t.assigneeId };
  return { type: 'queue', name: 'unassigned' };
}

/**
 * One pass of the SLA watch, as a plain function (the scheduler only calls it):
 * - at the warning point (80 % of the allowed time by default) it records an SLA_WARNING for the
 *   owner (else the assignee, else the unassigned queue);
 * - at the deadline it records an SLA_BREACH, raises the priority one step and escalates the ticket
 *   to the supervisors' queue (status ESCALATED where the status machine allows it: from NEW / OPEN).
 * Each warning and breach is recorded once per ticket and target: the ticket's version guards the
 * update (a second runner's update matches no row) and TicketEvent(ticketId, onceKey) is unique.
 * On PostgreSQL the pass runs inside a transaction holding pg_try_advisory_xact_lock, so when
 * several instances share a store only one of them works at a time; the others skip.
 * A breach found before its warning was recorded (the watch was down) skips the warning.
 */
export async function runSlaWatch(deps: SlaWatchDeps, now: Date = new Date()): Promise<SlaWatchResult & { alerts: SlaAlert[] }> {
  const { db, provider } = deps.store;
  const result: SlaWatchResult = { skipped: false, warnings: 0, breaches: 0, escalations: 0 };
  let alerts: SlaAlert[] = [];
  await db.$transaction(
    async (tx) => {
      if (provider === 'postgresql') {
        const rows = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${SLA_WATCH_LOCK}::bigint) AS "locked"`;
        if (!rows[0]?.locked) {
          result.skipped = true;
          return;
        }
      }
      alerts = [];
      const due = await findSlaCandidates(tx, now, deps.batch);
      for (const ticket of due) {
        if (!ticket.slaTarget || !ticket.dueAt) continue;
        const target = ticket.slaTarget as SlaTarget;
        const breached = ticket.slaBreachAt !== null && ticket.slaBreachAt.getTime() <= now.getTime();
        const change = breached ? breachChange(deps.tickets, ticket, target, now) : warningChange(ticket, target);
        const updated = await deps.tickets.applyChange(tx, ticket, change, SYSTEM_ACTOR, now);
        if (!updated) continue; // changed since we read it: the next pass looks again
        const escalated = updated.status === 'ESCALATED' && ticket.status !== 'ESCALATED';
        if (breached) result.breaches++;
        else result.warnings++;
        if (escalated) result.escalations++;
        alerts.push({
          kind: breached ? 'breach' : 'warning',
          ticketId: ticket.id,
          number: ticket.number,
          target,
          dueAt: ticket.dueAt,
          recipient: breached ? { type: 'queue', name: 'supervisors' } : warningRecipient(ticket),
          escalated,
        });
      }
      await deps.events.record(tx, alerts.map((alert) => ({ type: SLA_ALERT, subject: `Ticket:${alert.ticketId}`, payload: alert })), now);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  if (result.warnings || result.breaches) deps.logger?.info(result, 'SLA watch recorded warnings / breaches');
  return { ...result, alerts };
}

/**
 * Tickets whose warning or breach time has come, most overdue first. Two range reads, one per
 * index (slaWarnAt, slaBreachAt), merged: SQLite answers an OR of the two, or a status filter, with
 * a full scan (test/bench/tickets.ts). The service keeps both fields null unless the clock runs.
 */
export async function findSlaCandidates(db: Pick<Prisma.TransactionClient, 'ticket'>, now: Date, batch: number): Promise<Ticket[]> {
  const breaches = await db.ticket.findMany({ where: { slaBreachAt: { not: null, lte: now } }, take: batch });
  const warnings = await db.ticket.findMany({ where: { slaWarnAt: { not: null, lte: now } }, take: batch });
  const byId = new Map([...breaches, ...warnings].map((t) => [t.id, t]));
  return [...byId.values()]
    .filter((t) => CLOCK_RUNNING.includes(t.status))
    .sort((a, b) => (a.dueAt?.getTime() ?? 0) - (b.dueAt?.getTime() ?? 0) || a.id.localeCompare(b.id))
    .slice(0, batch);
}

function warningChange(ticket: Ticket, target: SlaTarget): TicketChange {
  return {
    action: 'ticket.sla_warning',
    data: {},
    events: [{ type: 'SLA_WARNING', onceKey: onceKey('sla_warning', target), data: { target, dueAt: ticket.dueAt, notify: warningRecipient(ticket) } }],
    notices: [],
  };
}

function breachChange(tickets: TicketService, ticket: Ticket, target: SlaTarget, now: Date): TicketChange {
  const events: NewEvent[] = [{ type: 'SLA_BREACH', onceKey: onceKey('sla_breach', target), data: { target, dueAt: ticket.dueAt, notify: { type: 'queue', name: 'supervisors' } } }];
  const priority = raisedPriority(ticket.priority);
  const change: TicketChange = { action: 'ticket.sla_breach', data: {}, events, notices: [] };
  if (priority !== ticket.priority) {
    change.data.priority = priority;
    events.push({ type: 'PRIORITY_CHANGED', data: { from: ticket.priority, to: priority } });
  }
  const ctx = { actor: SYSTEM_ACTOR, now, resolvedAt: ticket.resolvedAt, reopenWindowDays: 0 };
  if (canTransition(ticket.status, 'ESCALATED', ctx)) {
    const escalation = tickets.statusChange(ticket, 'ESCALATED', SYSTEM_ACTOR, now, { reason: `SLA ${target} deadline passed` });
    Object.assign(change.data, escalation.data);
    events.push(...escalation.events);
  }
  return change;
}
