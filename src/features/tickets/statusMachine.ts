import { AppError } from '../../errors';
import type { ActorType } from '../../crm/audit';
import type { AgentRole, TicketStatus } from './types';

/**
 * The ticket lifecycle, in one table:
 *
 *   NEW -> OPEN -> PENDING_CUSTOMER <-> OPEN -> RESOLVED -> CLOSED
 *   NEW | OPEN -> ESCALATED -> OPEN (a supervisor takes it)
 *   RESOLVED -> REOPENED (within the reopen window) -> OPEN | PENDING_CUSTOMER | RESOLVED
 *
 * A move that is not in the table, or whose guard fails, is refused with a TransitionRefused
 * error saying why.
 */
export interface TransitionContext {
  actor: { type: ActorType; role?: AgentRole };
  now: Date;
  /** When the ticket was resolved (for the reopen window). */
  resolvedAt: Date | null;
  reopenWindowDays: number;
}

export interface Transition {
  from: TicketStatus;
  to: TicketStatus;
  /** Returns why the move is refused, or undefined when it is allowed. */
  guard?: (ctx: TransitionContext) => string | undefined;
}

const DAY_MS = 86_400_000;

const supervisorTakes = (ctx: TransitionContext): string | undefined =>
  ctx.actor.type === 'agent' && ctx.actor.role !== 'supervisor' && ctx.actor.role !== 'admin'
    ? 'ESCALATED → OPEN is only allowed for a supervisor taking the ticket'
    : undefined;

const withinReopenWindow = (ctx: TransitionContext): string | undefined => {
  if (!ctx.resolvedAt) return 'RESOLVED → REOPENED needs the resolution time';
  return ctx.now.getTime() - ctx.resolvedAt.getTime() <= ctx.reopenWindowDays * DAY_MS
    ? undefined
    : `RESOLVED → REOPENED is only allowed within ${ctx.reopenWindowDays} days of resolution`;
};

export const TRANSITIONS: readonly Transition[] = [
  { from: 'NEW', to: 'OPEN' },
  { from: 'NEW', to: 'ESCALATED' },
  { from: 'OPEN', to: 'PENDING_CUSTOMER' },
  { from: 'OPEN', to: 'RESOLVED' },
  { from: 'OPEN', to: 'ESCALATED' },
  { from: 'PENDING_CUSTOMER', to: 'OPEN' },
  { from: 'ESCALATED', to: 'OPEN', guard: supervisorTakes },
  { from: 'RESOLVED', to: 'CLOSED' },
  { from: 'RESOLVED', to: 'REOPENED', guard: withinReopenWindow },
  { from: 'REOPENED', to: 'OPEN' },
  { from: 'REOPENED', to: 'PENDING_CUSTOMER' },
  { from: 'REOPENED', to: 'RESOLVED' },
];

/** Statuses in which the SLA clock runs. */
export const CLOCK_RUNNING: readonly TicketStatus[] = ['NEW', 'OPEN', 'ESCALATED', 'REOPENED'];
/** Statuses in which the SLA clock is paused (waiting on the customer; resolved until closed or reopened). */
export const CLOCK_PAUSED: readonly TicketStatus[] = ['PENDING_CUSTOMER', 'RESOLVED'];

export type RefusalCode = 'no_such_transition' | 'same_status' | 'guard';

export class TransitionRefused extends AppError {
  constructor(
    readonly from: TicketStatus,
    readonly to: TicketStatus,
    readonly refusal: RefusalCode,
    message: string,
  ) {
    super('invalid_transition', message, { details: { from, to } });
    this.name = 'TransitionRefused';
  }
}

export function transitionsFrom(from: TicketStatus): TicketStatus[] {
  return TRANSITIONS.filter((t) => t.from === from).map((t) => t.to);
}

/** Checks a move; throws TransitionRefused with the reason when it is not allowed. */
export function assertTransition(from: TicketStatus, to: TicketStatus, ctx: TransitionContext): void {
  if (from === to) throw new TransitionRefused(from, to, 'same_status', `The ticket is already ${to}`);
  const transition = TRANSITIONS.find((t) => t.from === from && t.to === to);
  if (!transition) {
    const allowed = transitionsFrom(from);
    throw new TransitionRefused(
      from,
      to,
      'no_such_transition',
      `${from} → ${to} is not allowed; from ${from} a ticket can go to ${allowed.length ? allowed.join(', ') : 'no other status'}`,
    );
  }
  const reason = transition.guard?.(ctx);
  if (reason) throw new TransitionRefused(from, to, 'guard', reason);
}

export function canTransition(from: TicketStatus, to: TicketStatus, ctx: TransitionContext): boolean {
  try {
    assertTransition(from, to, ctx);
    return true;
  } catch (err) {
    if (err instanceof TransitionRefused) return false;
    throw err;
  }
}
