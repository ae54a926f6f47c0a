import { z } from 'zod';
import { booleanFromEnv } from '../../config/schema';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time HH:MM (24 h), e.g. 21:00' });

/** "a,b,c,d": four ascending numbers (the cut points between the scores 1..5). */
const fourAscending = (what: string, min: number, max: number) =>
  z
    .string()
    .transform((s, ctx) => {
      const values = s.split(',').map((v) => Number(v.trim()));
      const ok = values.length === 4 && values.every((v, i) => Number.isFinite(v) && v >= min && v <= max && (i === 0 || v > values[i - 1]));
      if (!ok) ctx.addIssue({ code: 'custom', message: `must be four ascending ${what} between ${min} and ${max}, comma-separated` });
      return values;
    });

/** Configuration keys of customer segments and care messages (merged into the one schema in src/config/config.ts). */
export const segmentsConfigSchema = z.object({
  /** How RFM scores are cut: `quantiles` (from the data, SEGMENTS_RFM_QUANTILES) or fixed `thresholds` (SEGMENTS_R/F/M_THRESHOLDS). */
  SEGMENTS_RFM_MODE: z.enum(['quantiles', 'thresholds']).default('quantiles'),
  /** Quantile mode: the four fractions that cut recency, frequency and monetary value into scores 1-5. */
  SEGMENTS_RFM_QUANTILES: fourAscending('fractions', 0, 1).default([0.2, 0.4, 0.6, 0.8]),
  /** Threshold mode: days since the last order; up to the first -> R 5, ..., above the last -> R 1. */
  SEGMENTS_R_THRESHOLDS: fourAscending('day counts', 0, 100_000).default([30, 60, 120, 240]),
  /** Threshold mode: orders; more than the first -> F 2, ..., more than the last -> F 5. */
  SEGMENTS_F_THRESHOLDS: fourAscending('order counts', 0, 1_000_000).default([1, 2, 4, 7]),
  /** Threshold mode: yuan spent (less refunds); more than the first -> M 2, ..., more than the last -> M 5. */
  SEGMENTS_M_THRESHOLDS: fourAscending('amounts in yuan', 0, 1e9).default([200, 500, 1000, 3000]),
  /** Value class: R+F+M at least this -> high. */
  SEGMENTS_HIGH_MIN_SCORE: z.coerce.number().int().min(3).max(15).default(12),
  /** Value class: R+F+M at least this (below high) -> medium; below it -> low. No counted order -> potential. */
  SEGMENTS_MEDIUM_MIN_SCORE: z.coerce.number().int().min(3).max(15).default(8),
  /** Stage: a customer first seen within this many days with at most one order is `new`. */
  SEGMENTS_NEW_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** Stage: no order or conversation for more than this many days -> `dormant`. */
  SEGMENTS_DORMANT_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Stage: no order or conversation for more than this many days -> `lost`. */
  SEGMENTS_LOST_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  /** The nightly job (node-cron, shop time). */
  SEGMENTS_CRON: z.string().default('30 2 * * *'),
  /** Customers per batch (one transaction and one checkpoint each). */
  SEGMENTS_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(1000),
  /** How long a running job's lease lasts without a new batch before another instance may take over, in seconds. */
  SEGMENTS_LEASE_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  /** Care messages at all. */
  CARE_ENABLED: booleanFromEnv.default(true),
  /** Birthday greeting with the tier's benefit (marketing: needs the customer's consent). */
  CARE_BIRTHDAY: booleanFromEnv.default(true),
  /** Holiday greetings from CARE_HOLIDAYS_FILE (marketing: needs consent). */
  CARE_HOLIDAY: booleanFromEnv.default(true),
  /** Win-back message with a coupon when a high or medium value customer turns dormant (marketing: needs consent). */
  CARE_WINBACK: booleanFromEnv.default(true),
  /** Follow-up visit (回访) CARE_FOLLOWUP_DAYS after delivery (service: sent unless the customer said no). */
  CARE_FOLLOWUP: booleanFromEnv.default(true),
  CARE_FOLLOWUP_DAYS: z.coerce.number().int().min(1).max(90).default(3),
  /** The holiday calendar (JSON: [{"date":"2026-02-17","key":"spring_festival"}]); empty: the one shipped in src/features/segments. */
  CARE_HOLIDAYS_FILE: z.string().default(''),
  /** The coupon of a win-back message, in yuan (the shop issues it from the outbound webhook). */
  CARE_WINBACK_COUPON_YUAN: z.coerce.number().int().min(1).max(10_000).default(20),
  /** At most this many care messages per customer ... */
  CARE_CAP_COUNT: z.coerce.number().int().min(0).max(100).default(2),
  /** ... within this many days (all kinds together). */
  CARE_CAP_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** No care message between these shop-local times (deferred to the end, not dropped). */
  CARE_QUIET_HOURS_START: clock.default('21:00'),
  CARE_QUIET_HOURS_END: clock.default('09:00'),
  /** A care message not sent within this many hours of its due time is dropped (a birthday greeting a week late is worse than none). */
  CARE_EXPIRE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(48),
  /** An order within this many days of a win-back message counts as converted. */
  CARE_CONVERSION_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  /** How often care messages are planned and sent (node-cron). */
  CARE_CRON: z.string().default('*/10 * * * *'),
});
export type SegmentsConfig = z.infer<typeof segmentsConfigSchema>;
