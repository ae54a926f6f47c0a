import type { CareMessage as CareMessageRow, RowFits, SegmentRun as SegmentRunRow } from '../../store/records';

/*
 * Care messages and segmentation runs as the segments feature sees them: the domain's own types,
 * not the generated client's. The store's rows fit them (checked below).
 */

/** A care message (birthday, holiday, win-back, follow-up visit) planned or sent to a customer. */
export interface CareMessage {
  id: string;
  customerId: string;
  conversationId: string | null;
  kind: string;
  causeKey: string;
  status: string;
  skipReason: string | null;
  locale: string | null;
  orderId: string | null;
  couponCode: string | null;
  sendAfter: Date;
  sentAt: Date | null;
  repliedAt: Date | null;
  optedOutAt: Date | null;
  convertedOrderId: string | null;
  convertedAt: Date | null;
  createdAt: Date;
}

/** One run of the segmentation job (RFM scores and churn risk), resumable from its cursor. */
export interface SegmentRun {
  id: string;
  trigger: string;
  status: string;
  asOf: Date;
  cuts: unknown;
  cursor: string | null;
  processed: number;
  changed: number;
  batches: number;
  startedAt: Date;
  finishedAt: Date | null;
}

/** The store's rows are these types (a model change that breaks them fails the type check here). */
export type SegmentRowsFit = [RowFits<CareMessageRow, CareMessage>, RowFits<SegmentRunRow, SegmentRun>];
