import type { Db, Provider } from '../../src/store/db';
import { DEFAULT_CALENDAR_FILE, loadCalendarFile, WorkingCalendar } from '../../src/calendar/calendar';
import { DEFAULT_SLA_POLICIES } from '../../src/features/tickets/sla';
import { EventLog } from '../../src/events/eventLog';
import { TicketService, TICKET_NOTICE, type CustomerNotice } from '../../src/features/tickets/service';
import type { TestClock } from '../support/clock';

export const TZ = 'Asia/Shanghai';
export const calendar = new WorkingCalendar(loadCalendarFile(DEFAULT_CALENDAR_FILE), TZ);


/** The ticket service on a test clock, recording its events in the store as the app does. */
export function ticketService(db: Db, clock: TestClock, provider: Provider = 'sqlite'): TicketService {
  return new TicketService({
    db,
    calendar,
    policies: DEFAULT_SLA_POLICIES,
    timeZone: TZ,
    warnRatio: 0.8,
    reopenWindowDays: 7,
    clock: clock.now,
    events: new EventLog(provider),
  });
}

let seq = 0;
/** A customer with a conversation, as the foundation's middleware would have stored them. */
export async function customerWithConversation(db: Db, locale: string | null = null) {
  seq++;
  const customer = await db.customer.create({ data: { name: `Test ${seq}`, locale } });
  const conversation = await db.conversation.create({
    data: { channelId: 'test', channelConversationId: `conv-${process.pid}-${seq}-${Date.now()}`, customerId: customer.id, reference: {} },
  });
  return { customer, conversation };
}

export async function agent(db: Db, role: 'agent' | 'supervisor' | 'manager' | 'admin' = 'agent', name: string = role) {
  seq++;
  return db.agent.create({ data: { name: `${name} ${seq}`, role, tokenHash: `hash-${process.pid}-${seq}-${Math.random()}` } });
}

/** The customer notices recorded for a ticket (ticket.notice events), in order. */
export async function noticesOf(db: Db, ticketId: string): Promise<CustomerNotice[]> {
  const events = await db.domainEvent.findMany({ where: { type: TICKET_NOTICE, subject: `Ticket:${ticketId}` }, orderBy: { id: 'asc' } });
  return events.map((e) => e.payload as unknown as CustomerNotice);
}
