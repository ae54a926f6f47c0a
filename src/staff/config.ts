import { z } from 'zod';
import { booleanFromEnv } from '../config/schema';

/** Staff sign-in (the agent console, the managers' dashboard): merged into the one config schema. */
export const staffConfigSchema = z.object({
  /** How long a staff session lasts without use, in hours (each request extends it). */
  STAFF_SESSION_HOURS: z.coerce.number().gt(0).max(24 * 30).default(12),
  /** Failed sign-ins in a row that lock an account. */
  STAFF_LOCKOUT_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  /** How long a locked account stays locked, in minutes. */
  STAFF_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Mark the session cookie Secure (sent over HTTPS only): set true behind TLS. */
  STAFF_COOKIE_SECURE: booleanFromEnv.default(false),
});

export type StaffConfig = z.infer<typeof staffConfigSchema>;
