import type { Prisma } from '../../store/records';
import type { ComplaintType, TicketActor, TicketCategory, TicketPriority, Ticket } from './types';

export interface OpenTicketInput {
  customerId: string;
  conversationId?: string | null;
  orderId?: string | null;
  /** The order item a return or exchange is for. */
  orderItemId?: string | null;
  category: TicketCategory;
  complaintType?: ComplaintType | null;
  priority?: TicketPriority;
  summary: string;
  /** A number to call the customer back on (sealed at rest; keep it out of the summary). */
  contactPhone?: string | null;
  locale?: string | null;
  actor: TicketActor;
}

/** The name of the item a ticket is for, read with it. */
export const ITEM_NAME = { orderItem: { select: { name: true, nameEn: true } } } satisfies Prisma.TicketInclude;

export type TicketWithItem = Ticket & { orderItem: { name: string; nameEn: string | null } | null };

/** What the dialogs need from the ticket service (src/tickets/service.ts TicketService satisfies it). */
export interface TicketDesk {
  open(input: OpenTicketInput): Promise<Ticket>;
  listForCustomer(customerId: string, limit?: number): Promise<TicketWithItem[]>;
  /** The open returns and exchanges of an order. */
  openReturns(orderId: string): Promise<Ticket[]>;
  /** The customer's ticket of this number (undefined when it is not theirs). */
  findForCustomer(customerId: string, number: string): Promise<Ticket | undefined>;
  /** An internal note on a ticket (staff only; the customer is not told). */
  note(ref: string, body: string, actor: TicketActor): Promise<Ticket>;
}
