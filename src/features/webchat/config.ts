import { z } from 'zod';
import { booleanFromEnv, secret } from '../../config/schema';

/**
 * Configuration keys of the web chat / Direct Line module (merged into the one config schema in src/config/config.ts).
 * Secrets left unset get a random value per process (logged as a warning outside tests): tokens then do not
 * survive a restart, and the shop's server cannot sign identities, but nothing is forgeable.
 */
export const webchatConfigSchema = z.object({
  /** Site secret of the self-hosted Direct Line channel: the shop's server calls POST /v3/directline/tokens/generate with it; conversation tokens are signed with a key derived from it. */
  DIRECTLINE_TOKEN_SECRET: secret.optional(),
  /** Shared with the shop's server, which signs its signed-in customer's id with it (HS256 JWT, claim sub). Setting it turns the demo sign-in off. */
  SHOP_IDENTITY_SECRET: secret.optional(),
  /** Lifetime of a Direct Line conversation token, in seconds (Web Chat refreshes it every 15 minutes). */
  DIRECTLINE_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(24 * 3600).default(1800),
  /** Largest lifetime accepted for a shop identity token (exp - now), in seconds: a web chat sign-in lasts until the token's exp, so at most this. */
  SHOP_IDENTITY_MAX_TTL_SECONDS: z.coerce.number().int().min(10).max(24 * 3600).default(3600),
  /** The most recent activities of a conversation a client gets when it (re)opens it from the start (e.g. after a page reload). */
  DIRECTLINE_MAX_ACTIVITIES: z.coerce.number().int().min(10).max(100_000).default(500),
  /** The bot's public base URL (for streamUrl and uploaded files), e.g. https://bot.example; derived from the request's Host when unset. */
  WEBCHAT_PUBLIC_URL: z.string().url().optional(),
  /** Origins allowed to embed the chat (CORS), comma-separated, or * for any. */
  WEBCHAT_ALLOWED_ORIGINS: z.string().default('*'),
  /** Where uploaded photos are stored. */
  WEBCHAT_UPLOAD_DIR: z.string().default('./data/uploads'),
  /** Largest uploaded file, in bytes. */
  WEBCHAT_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(5 * 1024 * 1024),
  /** Days an uploaded photo is kept; a daily job deletes older ones (tickets keep their text, the link then answers 404). 0 keeps them for ever. */
  WEBCHAT_UPLOAD_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
  /** Serve the demo shop page at / (and its demo sign-in while SHOP_IDENTITY_SECRET is unset). */
  WEBCHAT_DEMO_PAGE: booleanFromEnv.default(true),
});
export type WebchatConfig = z.infer<typeof webchatConfigSchema>;
