import type { Ticket } from '../../../generated/sqlite/client';
import type { OpenTicketInput } from './service';

/** What the dialogs need from the ticket service (src/tickets/service.ts TicketService satisfies it). */
export interface TicketDesk {
  open(input: OpenTicketInput): Promise<Ticket>;
  listForCustomer(customerId: string, limit?: number): Promise<Ticket[]>;
}
