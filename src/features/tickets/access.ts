import type { Prisma } from '../../store/records';
import type { AgentIdentity } from './agents';
import { AppError } from '../../errors';
import { can } from '../../staff';
import type { Ticket } from './types';

/**
 * Who may do what with tickets:
 * - agent: sees and changes only tickets they own or are assigned, and unassigned ones; may assign
 *   a ticket only to themselves (take it);
 * - supervisor, admin: see and change every ticket, assign to anyone, take escalated tickets back;
 * - manager, CRM head: see every ticket (reports, quality review) but change none (no tickets.write
 *   in src/staff/permissions.ts); the auditor has no tickets.read at all.
 */
export function seesAll(agent: AgentIdentity): boolean {
  return agent.role !== 'agent';
}

export function canRead(agent: AgentIdentity, ticket: Pick<Ticket, 'ownerId' | 'assigneeId'>): boolean {
  return seesAll(agent) || ticket.assigneeId === null || ticket.assigneeId === agent.id || ticket.ownerId === agent.id;
}

export function canWrite(agent: AgentIdentity, ticket: Pick<Ticket, 'ownerId' | 'assigneeId'>): boolean {
  if (!can(agent.role, 'tickets.write')) return false;
  return canRead(agent, ticket);
}

/** The list filter that limits an agent to what they may see (none for the other roles). */
export function visibleTo(agent: AgentIdentity): Prisma.TicketWhereInput | undefined {
  if (seesAll(agent)) return undefined;
  return { OR: [{ assigneeId: null }, { assigneeId: agent.id }, { ownerId: agent.id }] };
}

export function authorizeWrite(agent: AgentIdentity): (ticket: Ticket) => void {
  return (ticket) => {
    if (!canRead(agent, ticket)) throw new AppError('forbidden', `Ticket ${ticket.number} belongs to another agent`);
    if (!canWrite(agent, ticket)) throw new AppError('forbidden', `A ${agent.role} may not change tickets`);
  };
}

export function authorizeAssign(agent: AgentIdentity, assigneeId: string | null): (ticket: Ticket) => void {
  const write = authorizeWrite(agent);
  return (ticket) => {
    write(ticket);
    if (agent.role === 'agent' && assigneeId !== agent.id) {
      throw new AppError('forbidden', 'An agent may only assign a ticket to themselves; ask a supervisor to reassign it');
    }
  };
}
