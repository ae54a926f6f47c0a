import { z } from 'zod';
import { dialogsConfigSchema } from './dialogs';
import { ticketsConfigSchema } from './tickets';
import { webchatConfigSchema } from './webchat';

/**
 * Kefu's configuration: one schema over the environment, parsed once at start-up.
 * Every key is documented in .env.example with its env name and default.
 */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const timezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid IANA time zone (e.g. Asia/Shanghai)' },
);

export const SUPPORTED_LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

const baseConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('0.0.0.0'),
  /** file:<path> for SQLite (default) or postgresql://... for PostgreSQL. */
  DATABASE_URL: z
    .string()
    .default('file:./data/kefu.db')
    .refine((u) => u.startsWith('file:') || /^postgres(ql)?:\/\//.test(u), {
      message: 'must start with file: (SQLite) or postgresql:// (PostgreSQL)',
    }),
  /** Apply pending migrations at start-up. */
  DB_MIGRATE_ON_START: booleanFromEnv.default(true),
  /** Load the demo shop when the store has no customers yet. */
  DB_SEED_ON_START: booleanFromEnv.default(true),
  MicrosoftAppId: z.string().default(''),
  MicrosoftAppPassword: z.string().default(''),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: z.string().default(''),
  DEFAULT_LOCALE: z.enum(SUPPORTED_LOCALES).default('zh-CN'),
  TIMEZONE: timezone.default('Asia/Shanghai'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest request body accepted on the HTTP API, in bytes (larger gets 413). */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
  /** How long SIGTERM waits for in-flight turns before closing the store, in ms. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
});

/** The one schema: base keys plus each module's own (tickets.ts, webchat.ts, dialogs.ts). */
export const configSchema = baseConfigSchema.extend(ticketsConfigSchema.shape).extend(webchatConfigSchema.shape).extend(dialogsConfigSchema.shape);

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as "not set", so that `PORT=` in a .env file means the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}
