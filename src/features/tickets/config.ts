import { z } from 'zod';
import { booleanFromEnv } from '../../config/schema';

/**
 * Configuration keys of the tickets module (merged into the one config schema in src/config/config.ts).
 * The SLA overrides are checked against the policy schema when the module starts (src/tickets/module.ts).
 */
export const ticketsConfigSchema = z.object({
  /** Working-day calendar (business hours, weekends, holidays, 调休 make-up days); default: src/tickets/calendar.cn.json. */
  TICKETS_CALENDAR_FILE: z.string().optional(),
  /**
   * JSON overrides of the SLA policies per category, e.g.
   * {"complaint":{"firstResponse":{"amount":4,"unit":"working_hours"}},"consultation":{"firstResponse":{"amount":12,"unit":"hours"}}}
   * Units: hours (calendar), working_hours, working_days.
   */
  TICKETS_SLA_POLICIES: z
    .string()
    .optional()
    .refine(
      (v) => {
        if (v === undefined) return true;
        try {
          const parsed: unknown = JSON.parse(v);
          return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
        } catch {
          return false;
        }
      },
      { message: 'must be a JSON object of category -> policy' },
    ),
  /**
   * Shorter SLA targets for valued customers (issue 19): their tickets get this share of every
   * target (0.5 = half the time); 1 (the default) treats every customer alike. Who is valued: a tier
   * in TICKETS_SLA_VALUED_TIERS or a value class in TICKETS_SLA_VALUED_CLASSES (the segment job's).
   */
  TICKETS_SLA_VALUED_FACTOR: z.coerce.number().gt(0).max(1).default(1),
  TICKETS_SLA_VALUED_TIERS: z.string().default('DIAMOND'),
  TICKETS_SLA_VALUED_CLASSES: z.string().default('high'),
  /** Share of the allowed time after which the SLA watch warns (0.8 = at 80 %). */
  TICKETS_SLA_WARN_RATIO: z.coerce.number().gt(0).lt(1).default(0.8),
  /** When the SLA watch runs (node-cron expression, in TIMEZONE). */
  TICKETS_SLA_WATCH_CRON: z.string().default('* * * * *'),
  /** Run the SLA watch in this process. */
  TICKETS_SLA_WATCH_ENABLED: booleanFromEnv.default(true),
  /** Most tickets the SLA watch handles per run (the rest on the next run). */
  TICKETS_SLA_WATCH_BATCH: z.coerce.number().int().min(1).default(500),
  /** How long after resolution a ticket may be reopened, in days. */
  TICKETS_REOPEN_WINDOW_DAYS: z.coerce.number().int().min(0).default(7),
});
export type TicketsConfig = z.infer<typeof ticketsConfigSchema>;
