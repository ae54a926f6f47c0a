import { assertTransition, canTransition, TRANSITIONS, TransitionRefused, type TransitionContext } from '../../src/features/tickets/statusMachine';
import { TICKET_STATUSES, type TicketStatus } from '../../src/features/tickets/types';

const now = new Date('2026-11-26T02:00:00Z');
const agent: TransitionContext = { actor: { type: 'agent', role: 'agent' }, now, resolvedAt: new Date('2026-11-25T02:00:00Z'), reopenWindowDays: 7 };
const supervisor: TransitionContext = { ...agent, actor: { type: 'agent', role: 'supervisor' } };

/** The lifecycle written out independently of the table in statusMachine.ts (the diagram). */
const EXPECTED: Record<TicketStatus, TicketStatus[]> = {
  NEW: ['OPEN', 'ESCALATED'],
  OPEN: ['PENDING_CUSTOMER', 'RESOLVED', 'ESCALATED'],
  PENDING_CUSTOMER: ['OPEN'],
  ESCALATED: ['OPEN'],
  RESOLVED: ['CLOSED', 'REOPENED'],
  REOPENED: ['OPEN', 'PENDING_CUSTOMER', 'RESOLVED'],
  CLOSED: [],
};

const pairs = TICKET_STATUSES.flatMap((from) => TICKET_STATUSES.map((to) => [from, to] as const));

describe('ticket status machine', () => {
  it('when the table is compared with the lifecycle diagram, then they list the same moves', () => {
    const fromTable = TRANSITIONS.map((t) => `${t.from}->${t.to}`).sort();
    const expected = Object.entries(EXPECTED).flatMap(([from, tos]) => tos.map((to) => `${from}->${to}`)).sort();
    expect(fromTable).toEqual(expected);
  });

  it.each(pairs.filter(([from, to]) => EXPECTED[from].includes(to)))('when a supervisor moves %s -> %s, then it is allowed', (from, to) => {
    expect(() => assertTransition(from, to, supervisor)).not.toThrow();
  });

  it.each(pairs.filter(([from, to]) => !EXPECTED[from].includes(to)))('when anyone moves %s -> %s, then it is refused with a reason', (from, to) => {
    const move = () => assertTransition(from, to, supervisor);
    expect(move).toThrow(TransitionRefused);
    expect(move).toThrow(from === to ? /already/ : new RegExp(`${from} → ${to} is not allowed`));
    expect(canTransition(from, to, supervisor)).toBe(false);
  });

  it('when a plain agent takes an escalated ticket back to OPEN, then it is refused: only a supervisor takes it', () => {
    expect(() => assertTransition('ESCALATED', 'OPEN', agent)).toThrow('ESCALATED → OPEN is only allowed for a supervisor taking the ticket');
    expect(canTransition('ESCALATED', 'OPEN', { ...agent, actor: { type: 'agent', role: 'admin' } })).toBe(true);
  });

  it('when a resolved ticket is reopened on day 7, then it is allowed; on day 8, then it is refused saying why', () => {
    const resolvedAt = new Date('2026-11-01T02:00:00Z');
    const day7 = new Date(resolvedAt.getTime() + 7 * 86_400_000);
    const day8 = new Date(day7.getTime() + 1);
    expect(canTransition('RESOLVED', 'REOPENED', { ...agent, resolvedAt, now: day7 })).toBe(true);
    expect(() => assertTransition('RESOLVED', 'REOPENED', { ...agent, resolvedAt, now: day8 })).toThrow(
      'RESOLVED → REOPENED is only allowed within 7 days of resolution',
    );
  });

  it('when a customer reopens within the window, then it is allowed', () => {
    expect(canTransition('RESOLVED', 'REOPENED', { ...agent, actor: { type: 'customer' } })).toBe(true);
  });
});
