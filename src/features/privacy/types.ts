import type { ChangeRequest as ChangeRequestRow, RowFits } from '../../store/records';

/*
 * Change requests as the privacy feature and its pages see them: the domain's own type, not the
 * generated client's. The store's rows fit it (checked below).
 */

/** A customer's request to see, correct or delete their data, and the decisions on it. */
export interface ChangeRequest {
  id: string;
  customerId: string;
  /** correct | delete | export */
  kind: string;
  /** For a correction: {field, value}. */
  details: unknown;
  reason: string;
  /** AWAITING_SUPERVISOR | AWAITING_CRM_HEAD | AWAITING_EXECUTION | DONE | REFUSED */
  status: string;
  requestedByType: string;
  requestedById: string | null;
  locale: string | null;
  /** The current step's deadline, and the whole request's (working calendar). */
  stepDueAt: Date;
  dueAt: Date;
  supervisorId: string | null;
  supervisorAt: Date | null;
  crmHeadId: string | null;
  crmHeadAt: Date | null;
  executorId: string | null;
  executedAt: Date | null;
  refusedById: string | null;
  refusedAt: Date | null;
  refusedStep: string | null;
  refusalReason: string | null;
  /** Export: sha256 of the one-time download token sent to the customer, its expiry and use. */
  downloadTokenHash: string | null;
  downloadExpiresAt: Date | null;
  downloadedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The store's rows are these types (a model change that breaks them fails the type check here). */
export type ChangeRequestRowFits = RowFits<ChangeRequestRow, ChangeRequest>;
