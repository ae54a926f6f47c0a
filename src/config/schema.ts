import { z } from 'zod';
import { SUPPORTED_LOCALES } from './locales';

/** Schema pieces every feature's configuration uses. */
export const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const timezone = z.string().refine(
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

export const secret = z.string().min(32, { message: 'must be at least 32 characters (e.g. `openssl rand -hex 32`)' });

/** The kernel's keys: server, store, channels' authentication, language, time zone, logs. */
export const baseConfigSchema = z.object({
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
  /** At start-up, how long to wait for a database that does not answer yet (PostgreSQL starting or failing over), in seconds. */
  DB_START_WAIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  MicrosoftAppId: z.string().default(''),
  MicrosoftAppPassword: z.string().default(''),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: z.string().default(''),
  /**
   * With MicrosoftAppId empty: the channels' service URLs replies may go to, comma-separated
   * (`https://host`, `http://localhost:*` for any port); the bot's own web chat is always allowed.
   */
  BOT_SERVICE_URLS: z
    .string()
    .default('')
    .refine((v) => v.split(',').map((p) => p.trim()).filter(Boolean).every((p) => URL.canParse(p.replace(/:\*\/?$/, '')) && /^https?:/.test(p)), {
      message: 'must be comma-separated http(s) URLs, e.g. https://channel.example.com,http://localhost:*',
    }),
  DEFAULT_LOCALE: z.enum(SUPPORTED_LOCALES).default('zh-CN'),
  TIMEZONE: timezone.default('Asia/Shanghai'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest request body accepted on the HTTP API, in bytes (larger gets 413). */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(256 * 1024),
  /** Web chat tokens and new Direct Line conversations per client address per minute (429 past it). */
  RATE_LIMIT_TOKENS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Upload requests (photos) per client address per minute. */
  RATE_LIMIT_UPLOADS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** Activities per conversation per minute, on /api/messages and the Direct Line channel. */
  RATE_LIMIT_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** Largest channelData of an activity, in bytes of JSON (larger gets 400). */
  MAX_CHANNEL_DATA_BYTES: z.coerce.number().int().min(256).default(8192),
  /** Most attachments on one activity, and files in one upload. */
  MAX_ATTACHMENTS: z.coerce.number().int().min(1).max(20).default(10),
  /** Prefix of the rate limits' keys in Redis (to share one Redis between several bots, give each its own). */
  RATE_LIMIT_PREFIX: z.string().min(1).max(64).default('kefu-rl'),
  /** Reverse proxies in front of the bot whose X-Forwarded-For is believed for the client's address (0: none). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** How long SIGTERM waits for in-flight turns before closing the store, in ms. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** Where a customer signs in to the shop (shown when the chat does not know who they are). */
  SHOP_SIGN_IN_URL: z.string().url().default('https://shop.example.com/login'),
  /**
   * Redis for the hints instances send each other (web chat streams, consoles), e.g.
   * redis://127.0.0.1:6379; unset: PostgreSQL LISTEN/NOTIFY (or, on SQLite, the one process itself).
   */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, { message: 'must start with redis:// or rediss://' }).optional(),
  /** Deliver recorded domain events (notices, alerts) in this process; off leaves them to other instances. */
  EVENTS_DISPATCH_ENABLED: booleanFromEnv.default(true),
  /** How often the event dispatcher looks for due deliveries besides being woken by commits, in ms. */
  EVENTS_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** Attempts before an event delivery is given up (DEAD, listed for operators). */
  EVENTS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment with a schema; throws a ConfigError naming every bad variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  // Empty strings count as "not set", so that `PORT=` in a .env file means the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  return result.data;
}
