import type { Prisma } from '../../store/records';
import type { WorkingCalendar } from '../../calendar/calendar';
import type { ConversationLifecycle } from '../../crm/lifecycle';
import type { Broadcast } from '../../events/broadcast';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import type { HandoffConfig } from './config';
import { CONSOLE_TOPIC, type ConsoleUpdate, type HandoffQueue, type HandoffReason, type HandoffRow, type Unavailable } from './types';

/** A customer's value class and lifecycle stage (the segments feature), when known. */
export interface CustomerStandingLookup {
  of(customerId: string | null | undefined): Promise<{ valueClass: string; stage: string } | null>;
}

export interface QueueDeps {
  db: Db;
  /** Orders the queue by value after complaint and tier (optional: without it, tier only). */
  standings?: CustomerStandingLookup;
  lifecycle: ConversationLifecycle;
  broadcast: Broadcast;
  calendar: WorkingCalendar;
  config: HandoffConfig;
  clock: () => Date;
}

export interface HandoffRequest {
  conversationId: string;
  customerId: string | null;
  locale: string;
  reason: HandoffReason;
  reasonText?: string;
}

export type RequestOutcome =
  | { kind: 'queued'; handoff: HandoffRow; position: number; waitMinutes: number }
  | { kind: 'already'; handoff: HandoffRow; position: number; waitMinutes: number }
  | { kind: 'unavailable'; why: Unavailable };

/** Roles that serve the supervisors' queue. */
export const SUPERVISOR_ROLES = ['supervisor', 'admin'];

const TIER_PRIORITY: Record<string, number> = { DIAMOND: 20, GOLD: 10, SILVER: 0 };
/** Below one tier step: value only orders customers of the same tier. */
const VALUE_PRIORITY: Record<string, number> = { high: 5, medium: 2 };

export function queueOf(reason: HandoffReason): HandoffQueue {
  return reason === 'manager' ? 'supervisors' : 'general';
}

/** Complaints first, then the customer's tier, then their value class; the queue is then ordered by waiting time. */
export function priorityOf(reason: HandoffReason, tier: string | null | undefined, valueClass?: string | null): number {
  return (reason === 'complaint' || reason === 'manager' ? 100 : 0) + (TIER_PRIORITY[tier ?? 'SILVER'] ?? 0) + (VALUE_PRIORITY[valueClass ?? ''] ?? 0);
}

const seconds = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
export { seconds as secondsBetween };

/**
 * The persisted queue: requests are Handoff rows (status QUEUED) next to the conversation's lifecycle
 * move to QUEUED, in one transaction; positions and the estimated wait are read from the store, so
 * every instance (and a restarted one) sees the same queue.
 */
export class HandoffQueueService {
  constructor(private readonly deps: QueueDeps) {}

  /** The customers' value class and stage, for the case card. */
  get standings(): CustomerStandingLookup | undefined {
    return this.deps.standings;
  }

  async publish(update: ConsoleUpdate): Promise<void> {
    await this.deps.broadcast.publish(CONSOLE_TOPIC, JSON.stringify(update));
  }

  /** The conversation's open handoff (queued or with an agent). */
  open(conversationId: string): Promise<HandoffRow | null> {
    return this.deps.db.handoff.findFirst({ where: { conversationId, status: { in: ['QUEUED', 'ACTIVE'] } }, orderBy: { requestedAt: 'desc' } });
  }

  /** Agents online (with the console open and "online") who serve this queue. */
  async agentsOnline(queue: string): Promise<number> {
    const online = await this.deps.db.agentPresence.findMany({ where: { status: 'online' }, select: { agentId: true } });
    if (online.length === 0) return 0;
    const roles = queue === 'supervisors' ? SUPERVISOR_ROLES : ['agent', 'supervisor', 'admin'];
    return this.deps.db.agent.count({ where: { id: { in: online.map((o) => o.agentId) }, active: true, role: { in: roles as ('agent' | 'supervisor' | 'admin')[] } } });
  }

  /** 1 = next to be taken. */
  async position(handoff: Pick<HandoffRow, 'queue' | 'priority' | 'requestedAt' | 'id'>): Promise<number> {
    const ahead = await this.deps.db.handoff.count({
      where: {
        status: 'QUEUED',
        queue: handoff.queue,
        id: { not: handoff.id },
        OR: [{ priority: { gt: handoff.priority } }, { priority: handoff.priority, requestedAt: { lte: handoff.requestedAt } }],
      },
    });
    return ahead + 1;
  }

  /** Minutes until an agent is free for the customer at this position: the recent handle times over the agents online. */
  async estimateMinutes(queue: string, position: number): Promise<number> {
    const recent = await this.deps.db.handoff.findMany({ where: { status: 'ENDED', handleSeconds: { not: null } }, orderBy: { endedAt: 'desc' }, take: 20, select: { handleSeconds: true } });
    const handle = recent.length ? recent.reduce((s, r) => s + (r.handleSeconds ?? 0), 0) / recent.length : this.deps.config.HANDOFF_DEFAULT_HANDLE_MINUTES * 60;
    const agents = Math.max(1, await this.agentsOnline(queue));
    return Math.max(1, Math.ceil((handle * position) / agents / 60));
  }

  /**
   * Puts the customer in the queue, or says why not: out of business hours (the tickets' calendar),
   * or nobody online for that queue. A conversation already queued or with an agent stays as it is.
   */
  async request(input: HandoffRequest): Promise<RequestOutcome> {
    const { db, clock, calendar, lifecycle } = this.deps;
    const existing = await this.open(input.conversationId);
    if (existing) {
      const position = existing.status === 'QUEUED' ? await this.position(existing) : 0;
      return { kind: 'already', handoff: existing, position, waitMinutes: position ? await this.estimateMinutes(existing.queue, position) : 0 };
    }
    const now = clock();
    const queue = queueOf(input.reason);
    if (!calendar.isWorkingTime(now)) return { kind: 'unavailable', why: 'out_of_hours' };
    if ((await this.agentsOnline(queue)) === 0) return { kind: 'unavailable', why: 'no_agent' };
    const customer = input.customerId ? await db.customer.findUnique({ where: { id: input.customerId }, select: { tier: true } }) : null;
    const standing = await this.deps.standings?.of(input.customerId);
    const handoff = await db.$transaction(async (tx) => {
      const created = await tx.handoff.create({
        data: {
          conversationId: input.conversationId,
          customerId: input.customerId,
          queue,
          reason: input.reason,
          reasonText: input.reasonText?.slice(0, 500) ?? null,
          priority: priorityOf(input.reason, customer?.tier, standing?.valueClass),
          locale: input.locale,
          requestedAt: now,
          createdAt: new Date(),
          positionToldAt: now,
        },
      });
      await lifecycle.moveIn(tx, input.conversationId, { to: 'QUEUED', from: 'BOT', queue, reason: input.reason, actor: { type: 'customer', id: input.customerId } });
      return created;
    });
    await this.publish({ kind: 'queue', handoffId: handoff.id, conversationId: handoff.conversationId });
    const position = await this.position(handoff);
    // The place the customer is told now: a better one later is told again (places.ts).
    await db.handoff.updateMany({ where: { id: handoff.id }, data: { positionTold: position } });
    return { kind: 'queued', handoff, position, waitMinutes: await this.estimateMinutes(queue, position) };
  }

  /** The customer leaves the queue: the conversation goes back to the bot. False when they were not queued. */
  async leave(conversationId: string, customerId: string | null): Promise<boolean> {
    const queued = await this.deps.db.handoff.findFirst({ where: { conversationId, status: 'QUEUED' } });
    if (!queued) return false;
    const now = this.deps.clock();
    await this.deps.db.$transaction(async (tx) => {
      await this.close(tx, queued, { status: 'CANCELLED', endReason: 'left', endedAt: now, queueWaitSeconds: seconds(queued.requestedAt, now) });
      await this.deps.lifecycle.moveIn(tx, conversationId, { to: 'BOT', from: 'QUEUED', reason: 'customer left the queue', actor: { type: 'customer', id: customerId } });
    });
    await this.publish({ kind: 'queue', handoffId: queued.id, conversationId });
    return true;
  }

  /** Moves a handoff on only if nobody else did (its version): of two agents, one wins. */
  async close(tx: Prisma.TransactionClient, handoff: HandoffRow, data: Prisma.HandoffUpdateManyMutationInput): Promise<void> {
    const { count } = await tx.handoff.updateMany({ where: { id: handoff.id, version: handoff.version }, data: { ...data, version: { increment: 1 } } });
    if (count !== 1) {
      throw new AppError('conflict', 'This chat was changed by someone else at the same moment (already taken, ended or moved): reload the queue');
    }
  }

  /** Handoffs waiting longer than HANDOFF_MAX_WAIT_MINUTES. */
  overdue(now: Date): Promise<HandoffRow[]> {
    const before = new Date(now.getTime() - this.deps.config.HANDOFF_MAX_WAIT_MINUTES * 60_000);
    return this.deps.db.handoff.findMany({ where: { status: 'QUEUED', requestedAt: { lt: before } }, orderBy: { requestedAt: 'asc' }, take: 100 });
  }

  /** The queue as the console shows it: highest priority, then longest waiting, first. */
  list(queues: string[]): Promise<HandoffRow[]> {
    return this.deps.db.handoff.findMany({ where: { status: 'QUEUED', queue: { in: queues } }, orderBy: [{ priority: 'desc' }, { requestedAt: 'asc' }], take: 200 });
  }
}
