import type { RowFits, Survey as SurveyRow } from '../../store/records';

/*
 * Surveys as the survey feature and its callers see them: the domain's own type, not the generated
 * client's. The store's rows fit it (checked below).
 */

/** A satisfaction survey offered in a conversation, and its answers. */
export interface Survey {
  id: string;
  customerId: string;
  conversationId: string;
  /** What offered it: ticket_resolved | task_finished | handoff_ended | followup_visit | manual. */
  trigger: string;
  /** The Bot Framework channel of the conversation (webchat figures are split by it). */
  channelId: string;
  /** The language the survey is asked in. */
  locale: string;
  /** The agent of the chat or ticket it is about, if any. */
  agentId: string | null;
  ticketId: string | null;
  /** The ticket's category at the time (consultation, complaint, return...). */
  ticketCategory: string | null;
  /** The delivered order a follow-up visit is about. */
  orderId: string | null;
  /** SCHEDULED -> SENT -> ANSWERED | EXPIRED; SKIPPED when a rule stopped it before sending. */
  status: string;
  /** What the next message answers while SENT or ANSWERED: score | nps | comment | done; the follow-up visit's longer form asks service, product, price (status still SENT), then overall (the score). */
  stage: string;
  /** Not sent before (quiet hours, an unfinished dialog, a customer still busy). */
  sendAfter: Date;
  /** Why a SKIPPED survey was not sent (opted_out, capped, expired). */
  skipReason: string | null;
  sentAt: Date | null;
  expiresAt: Date | null;
  /** CSAT 1-5. */
  score: number | null;
  /** The longer form's questions (follow-up visits), each 1-5: service, product quality, price. */
  serviceScore: number | null;
  productScore: number | null;
  priceScore: number | null;
  /** Net promoter 0-10, when asked. */
  nps: number | null;
  comment: string | null;
  answeredAt: Date | null;
  /** The complaint ticket a low score opened for the supervisors. */
  followUpTicketId: string | null;
  /** Idempotency of triggers (e.g. ticket_resolved:<ticket id>:<event id>): one survey per cause. */
  causeKey: string;
  createdAt: Date;
}

/** The store's rows are these types (a model change that breaks them fails the type check here). */
export type SurveyRowFits = RowFits<SurveyRow, Survey>;
