/**
 * The CRM store's records and query types, as the rest of Kefu sees them. Both databases have the
 * same models, so one set of types serves both (the SQLite client's, generated from the one model
 * file; src/store/db.ts is the only place the PostgreSQL client meets them). Features, dialogs and the
 * CRM services import from here, never from generated/ (a lint rule says so): how the store is
 * generated is the store's business.
 */
import type { Prisma } from '../../generated/sqlite/client';

export type {
  Agent,
  CareMessage,
  ChangeRequest,
  Customer,
  Handoff,
  Order,
  OrderItem,
  SegmentRun,
  Survey,
  Ticket,
  TicketEvent,
} from '../../generated/sqlite/client';
export { Prisma } from '../../generated/sqlite/client';

/** A transaction's client: what a service is handed to write inside a caller's transaction. */
export type Tx = Prisma.TransactionClient;
