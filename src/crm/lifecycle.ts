import type { Prisma } from '../store/records';
import { AppError } from '../errors';
import type { EventLog } from '../events/eventLog';
import type { Db } from '../store/db';
import { writeAudit, type Actor } from './audit';

/** Who owns the conversation: the bot, the queue, an agent; or it is closed. */
export type ConversationStatus = 'BOT' | 'QUEUED' | 'AGENT' | 'CLOSED';

/** A conversation's owner as a turn sees it (read fresh from the store on every customer message). */
export interface ConversationOwner {
  status: ConversationStatus;
  agentId: string | null;
  queue: string | null;
}

/**
 * Who owns a conversation, in one table:
 *
 *   BOT -> QUEUED (the customer asked for a person) -> AGENT (an agent accepted) -> BOT (ended)
 *   QUEUED -> BOT (the customer left the queue, or it became a ticket)
 *   AGENT -> AGENT (transferred to another agent, or taken over by a supervisor)
 *   AGENT -> QUEUED (transferred back to a queue)
 *   BOT -> AGENT (an agent or supervisor takes over a conversation the bot has)
 *   BOT | QUEUED | AGENT -> CLOSED; CLOSED -> BOT (the customer writes again)
 *
 * A move that is not in the table is refused (invalid_transition), as is a move from a state the
 * conversation has already left (conflict: someone else moved it first).
 */
export const CONVERSATION_TRANSITIONS: Readonly<Record<ConversationStatus, readonly ConversationStatus[]>> = {
  BOT: ['QUEUED', 'AGENT', 'CLOSED'],
  QUEUED: ['AGENT', 'BOT', 'CLOSED'],
  AGENT: ['BOT', 'AGENT', 'QUEUED', 'CLOSED'],
  CLOSED: ['BOT'],
};

export function canMove(from: ConversationStatus, to: ConversationStatus): boolean {
  return CONVERSATION_TRANSITIONS[from].includes(to);
}

/** The event every lifecycle move is recorded as (handoff, surveys and the dashboard subscribe to it). */
export const CONVERSATION_STATUS_CHANGED = 'conversation.status_changed';

export interface LifecycleMove {
  to: ConversationStatus;
  actor: Actor;
  /** AGENT: the agent who owns it now. */
  agentId?: string;
  /** QUEUED: the queue it waits in (default "general"). */
  queue?: string;
  /** Why (the handoff's reason, "customer left", "ended by agent"...). */
  reason?: string;
  /** Refuse (conflict) unless the conversation is in this state now. */
  from?: ConversationStatus;
  /** Refuse (conflict) unless the conversation's lifecycle version is this one. */
  version?: number;
}

export interface ConversationState {
  id: string;
  status: ConversationStatus;
  agentId: string | null;
  queue: string | null;
  waitingSince: Date | null;
  closedAt: Date | null;
  lifecycleVersion: number;
}

export interface StatusChanged {
  conversationId: string;
  from: ConversationStatus;
  to: ConversationStatus;
  agentId: string | null;
  previousAgentId: string | null;
  queue: string | null;
  reason: string | null;
  actor: Actor;
  at: string;
}

const SELECT = { id: true, status: true, agentId: true, queue: true, waitingSince: true, closedAt: true, lifecycleVersion: true } as const;

/**
 * Moves a conversation between its owners (the transition table above), in one transaction with
 * its audit row and a conversation.status_changed event, guarded by the conversation's lifecycle
 * version: of two agents accepting at once, exactly one wins.
 */
export class ConversationLifecycle {
  constructor(
    private readonly db: Db,
    private readonly events: EventLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async get(conversationId: string): Promise<ConversationState> {
    const c = await this.db.conversation.findUnique({ where: { id: conversationId }, select: SELECT });
    if (!c) throw new AppError('not_found', `No conversation ${conversationId}`);
    return c;
  }

  move(conversationId: string, move: LifecycleMove): Promise<ConversationState> {
    return this.db.$transaction((tx) => this.moveIn(tx, conversationId, move));
  }

  /** The move inside the caller's transaction (e.g. with the handoff's own rows). */
  async moveIn(tx: Prisma.TransactionClient, conversationId: string, move: LifecycleMove): Promise<ConversationState> {
    const now = this.clock();
    const current = await tx.conversation.findUnique({ where: { id: conversationId }, select: SELECT });
    if (!current) throw new AppError('not_found', `No conversation ${conversationId}`);
    if (move.from && current.status !== move.from) {
      throw new AppError('conflict', `The conversation is ${current.status} now, not ${move.from}: someone else moved it first`);
    }
    if (move.version !== undefined && current.lifecycleVersion !== move.version) {
      throw new AppError('conflict', `The conversation is at version ${current.lifecycleVersion}, not ${move.version}: reload it and retry`);
    }
    if (!canMove(current.status, move.to)) {
      throw new AppError('invalid_transition', `A conversation cannot go from ${current.status} to ${move.to}`);
    }
    if (move.to === 'AGENT' && !move.agentId) throw new AppError('invalid_request', 'Moving a conversation to an agent needs the agent');
    if (move.to === 'AGENT' && current.status === 'AGENT' && current.agentId === move.agentId) {
      throw new AppError('conflict', 'The conversation is already with this agent');
    }
    const data = this.fields(move, now);
    const updated = await tx.conversation.updateMany({
      where: { id: conversationId, lifecycleVersion: current.lifecycleVersion },
      data: { ...data, statusChangedAt: now, lifecycleVersion: { increment: 1 } },
    });
    if (updated.count !== 1) throw new AppError('conflict', 'The conversation was moved by someone else at the same time');
    const after = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: SELECT });
    const changed: StatusChanged = {
      conversationId,
      from: current.status,
      to: move.to,
      agentId: after.agentId,
      previousAgentId: current.agentId,
      queue: after.queue,
      reason: move.reason ?? null,
      actor: move.actor,
      at: now.toISOString(),
    };
    await this.events.record(tx, [{ type: CONVERSATION_STATUS_CHANGED, subject: `Conversation:${conversationId}`, payload: changed }], now);
    await writeAudit(tx, {
      actor: move.actor,
      action: 'conversation.status',
      entity: 'Conversation',
      entityId: conversationId,
      before: { status: current.status, agentId: current.agentId, queue: current.queue },
      after: { status: after.status, agentId: after.agentId, queue: after.queue },
      reason: move.reason,
    });
    return after;
  }

  private fields(move: LifecycleMove, now: Date): Prisma.ConversationUncheckedUpdateManyInput {
    switch (move.to) {
      case 'QUEUED':
        return { status: 'QUEUED', queue: move.queue ?? 'general', agentId: null, waitingSince: now, closedAt: null };
      case 'AGENT':
        return { status: 'AGENT', agentId: move.agentId, queue: null, waitingSince: null, closedAt: null };
      case 'BOT':
        return { status: 'BOT', agentId: null, queue: null, waitingSince: null, closedAt: null };
      case 'CLOSED':
        return { status: 'CLOSED', agentId: null, queue: null, waitingSince: null, closedAt: now };
    }
  }
}
