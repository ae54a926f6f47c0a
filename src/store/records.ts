/**
 * The CRM store's records and query types. Both databases have the same models, so one set of types
 * serves both (the SQLite client's, generated from the one model file; src/store/db.ts is the only
 * place the PostgreSQL client meets them). Nothing outside src/store imports generated/ (a lint rule
 * says so). Features declare their own domain types in their types.ts (an order, a ticket, a survey,
 * ...) and use the records here only for their store queries (`Prisma`, `Tx`) and for RowFits, the
 * type-level check that the store's rows fit those domain types.
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

/**
 * A compile-time check for a feature's domain types: `Row` (the store's record) can be handed out as
 * `Domain` (the type the feature's boundary declares). A model change that breaks a domain type fails
 * `npm run typecheck` at the feature's types.ts, not somewhere in its callers.
 */
export type RowFits<Row extends Domain, Domain> = Row extends Domain ? true : never;
