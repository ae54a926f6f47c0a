import { z } from 'zod';
import { booleanFromEnv } from '../../config/schema';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time HH:MM (24 h), e.g. 21:00' });

/** Configuration keys of the satisfaction surveys (merged into the one config schema in src/config/config.ts). */
export const surveysConfigSchema = z.object({
  /** Surveys at all (false: no trigger offers one; answers to surveys already sent still count). */
  SURVEYS_ENABLED: booleanFromEnv.default(true),
  /** Offer a survey when a ticket is resolved (in the conversation it was opened in). */
  SURVEYS_ON_TICKET_RESOLVED: booleanFromEnv.default(true),
  /** Offer a survey when a self-service task finished (a return opened, an order changed) and the customer has gone quiet. */
  SURVEYS_ON_TASK_FINISHED: booleanFromEnv.default(true),
  /** Offer a survey when an agent chat ends (the handoff's handoff.ended event). */
  SURVEYS_ON_HANDOFF_ENDED: booleanFromEnv.default(true),
  /**
   * Follow-up visits (回访) as a survey: an order delivered CARE_FOLLOWUP_DAYS ago gets a survey in the
   * customer's latest conversation, which then replaces the care feature's follow-up message (one
   * visit, one message). Off: the care message (CARE_FOLLOWUP) is the visit.
   */
  SURVEYS_ON_FOLLOWUP_VISIT: booleanFromEnv.default(false),
  /** The follow-up visit's questions: long = the handbook's set (service, product quality, price, overall), each 1-5; short = the one CSAT question. */
  SURVEYS_FOLLOWUP_FORM: z.enum(['long', 'short']).default('long'),
  /** How often delivered orders are looked at for follow-up visits (node-cron). */
  SURVEYS_FOLLOWUP_CRON: z.string().default('7 * * * *'),
  /** How long the customer must have been quiet after a self-service task before the survey comes, in minutes. */
  SURVEYS_QUIET_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(10),
  /** Ask the net-promoter question (0-10) after the 1-5 score. */
  SURVEYS_NPS: booleanFromEnv.default(false),
  /** At most one survey per customer within this many days. */
  SURVEYS_CAP_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  /** A sent survey can be answered for this many hours. */
  SURVEYS_EXPIRE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(48),
  /** No survey between these shop-local times (deferred to the end of the quiet hours, not dropped). */
  SURVEYS_QUIET_HOURS_START: clock.default('21:00'),
  SURVEYS_QUIET_HOURS_END: clock.default('09:00'),
  /** Scores up to this one open a follow-up complaint ticket for the supervisors. */
  SURVEYS_LOW_SCORE: z.coerce.number().int().min(0).max(5).default(2),
  /** How often scheduled surveys are sent (node-cron). */
  SURVEYS_SEND_CRON: z.string().default('*/1 * * * *'),
});
export type SurveysConfig = z.infer<typeof surveysConfigSchema>;
