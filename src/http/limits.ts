import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { RLWrapperTimeouts, RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Request, Response, Next } from 'restify';
import type { Locale } from '../config/locales';
import { normalizeLocale, type I18n } from '../i18n/i18n';
import type { Logger } from '../logger';

/** The limits of the HTTP API (config keys in brackets; README "Hardening and limits"). */
export interface LimitSettings {
  /** Tokens and new conversations per client IP per minute (RATE_LIMIT_TOKENS_PER_MINUTE). */
  tokensPerMinute: number;
  /** Upload requests per client IP per minute (RATE_LIMIT_UPLOADS_PER_MINUTE). */
  uploadsPerMinute: number;
  /** Customer messages per conversation per minute (RATE_LIMIT_MESSAGES_PER_MINUTE). */
  messagesPerMinute: number;
  /** Largest `channelData` of an activity, as JSON bytes (MAX_CHANNEL_DATA_BYTES). */
  maxChannelDataBytes: number;
  /** Most attachments on one activity, or files in one upload (MAX_ATTACHMENTS). */
  maxAttachments: number;
  /** Reverse proxies in front of the bot whose X-Forwarded-For is believed (TRUST_PROXY_HOPS). */
  trustProxyHops: number;
  defaultLocale: Locale;
  /** Prefix of the keys in Redis (RATE_LIMIT_PREFIX). */
  prefix: string;
}

/** `typing`: a conversation's typing activities, counted apart so that typing never uses up the messages' allowance. */
type LimitKind = 'token' | 'upload' | 'message' | 'typing';

/** Which routes count against which limit: tokens and uploads per client address, messages per conversation. */
const LIMITED_ROUTES: { method: string; path: string; kind: LimitKind; conversation?: (req: Request) => string | undefined; directLine: boolean }[] = [
  { method: 'POST', path: '/webchat/api/token', kind: 'token', directLine: true },
  { method: 'POST', path: '/webchat/demo/identity', kind: 'token', directLine: true },
  { method: 'POST', path: '/v3/directline/tokens/generate', kind: 'token', directLine: true },
  { method: 'POST', path: '/v3/directline/conversations', kind: 'token', directLine: true },
  { method: 'POST', path: '/v3/directline/conversations/:conversationId/upload', kind: 'upload', directLine: true },
  { method: 'POST', path: '/v3/directline/conversations/:conversationId/activities', kind: 'message', conversation: (req) => `directline:${String(req.params?.conversationId)}`, directLine: true },
  { method: 'POST', path: '/api/messages', kind: 'message', conversation: (req) => conversationKey(req.body), directLine: false },
];

/** The client's address: the socket's peer, or with `hops` trusted proxies the address they saw. */
export function clientIp(req: IncomingMessage, hops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (hops <= 0) return peer;
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return forwarded[forwarded.length - hops] ?? forwarded[0] ?? peer;
}

function conversationKey(body: unknown): string | undefined {
  const b = body as { channelId?: unknown; conversation?: { id?: unknown } } | undefined;
  const id = b?.conversation?.id;
  return typeof id === 'string' ? `api:${String(b?.channelId)}:${id}` : undefined;
}

/** How deep a JSON value nests (objects and arrays), counted without recursion. */
export function jsonDepth(value: unknown, stopAt: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > stopAt) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The deepest nesting an activity may have (deeper is a 400, not a failed turn). */
export const MAX_ACTIVITY_DEPTH = 32;

/** Why an activity is refused before it reaches the bot (size of channelData, attachments, nesting), or undefined. */
export function activityLimitProblem(body: unknown, settings: Pick<LimitSettings, 'maxChannelDataBytes' | 'maxAttachments'>): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  if (jsonDepth(body, MAX_ACTIVITY_DEPTH) > MAX_ACTIVITY_DEPTH) return `The activity nests deeper than ${MAX_ACTIVITY_DEPTH} levels.`;
  const { channelData, attachments } = body as { channelData?: unknown; attachments?: unknown };
  if (channelData !== undefined && Buffer.byteLength(JSON.stringify(channelData) ?? '') > settings.maxChannelDataBytes) {
    return `channelData may be at most ${settings.maxChannelDataBytes} bytes of JSON.`;
  }
  if (Array.isArray(attachments) && attachments.length > settings.maxAttachments) return `An activity may carry at most ${settings.maxAttachments} attachments.`;
  return undefined;
}

/** What a limit is asked: count one request of a key (rejects with RateLimiterRes over the limit). */
type Limiter = Pick<RateLimiterAbstract, 'consume'>;

/**
 * Counted by each instance on PostgreSQL (without Redis): a conversation's messages and typing. A
 * shared count there is an upsert on every turn (measured: bench:turns, README); a conversation
 * that floods through n instances gets at most n times its allowance. Tokens and uploads, the
 * anonymous entry points, are counted in the database, shared.
 */
const PER_INSTANCE_ON_POSTGRES: ReadonlySet<LimitKind> = new Set<LimitKind>(['message', 'typing']);

/** How long a rate limit check waits for PostgreSQL before the in-memory count decides. */
const PG_LIMIT_TIMEOUT_MS = 1000;

/** Where several instances keep their shared counts: Redis (REDIS_URL), else the PostgreSQL store's table "RateLimit". */
export type SharedLimitStore = { redis: Redis } | { pool: Pool };

/**
 * Rate limits (rate-limiter-flexible): in memory for one instance on SQLite; shared by several
 * instances in Redis when REDIS_URL is set, else in the PostgreSQL store (table "RateLimit", through
 * the store's pool: one upsert per limited request), with the in-memory limits as insurance while
 * the shared store is away. Refused requests get 429, a Retry-After header and a reason in the
 * client's language.
 */
export class RateLimits {
  private readonly limiters: Record<LimitKind, Limiter>;

  constructor(
    private readonly settings: LimitSettings,
    private readonly i18n: I18n,
    private readonly logger: Logger,
    shared?: SharedLimitStore,
  ) {
    const make = (kind: LimitKind, points: number): Limiter => {
      const options = { keyPrefix: `${settings.prefix}-${kind}`, points, duration: 60 };
      if (!shared || ('pool' in shared && PER_INSTANCE_ON_POSTGRES.has(kind))) return new RateLimiterMemory(options);
      const insuranceLimiter = new RateLimiterMemory(options);
      if ('redis' in shared) return new RateLimiterRedis({ ...options, storeClient: shared.redis, insuranceLimiter });
      // The table comes with the migrations (sign_in_lifetime_and_rate_limits); expired rows are cleared every 5 minutes.
      // A database that hangs (no answer, not refused) costs a request at most PG_LIMIT_TIMEOUT_MS, then memory counts.
      const pg = new RateLimiterPostgres({ ...options, storeClient: shared.pool, storeType: 'pool', tableName: 'RateLimit', tableCreated: true, insuranceLimiter });
      return new RLWrapperTimeouts({ limiter: pg, timeoutMs: PG_LIMIT_TIMEOUT_MS, insuranceLimiter });
    };
    this.limiters = {
      token: make('token', settings.tokensPerMinute),
      upload: make('upload', settings.uploadsPerMinute),
      message: make('message', settings.messagesPerMinute),
      typing: make('typing', settings.messagesPerMinute),
    };
  }

  /** Counts one request of `kind` for `key`; the seconds to wait when over the limit, else 0. */
  async consume(kind: LimitKind, key: string): Promise<number> {
    try {
      await this.limiters[kind].consume(key);
      return 0;
    } catch (res) {
      if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      // The limiter's store failed (and its insurance too): serve rather than refuse everyone.
      this.logger.warn({ err: res, kind }, 'rate limit could not be checked; request let through');
      return 0;
    }
  }

  /** restify middleware (after the body parser): the activity limits and the rate limits of LIMITED_ROUTES. */
  middleware() {
    return (req: Request, res: Response, next: Next): void => {
      const path = req.getRoute()?.path;
      const route = LIMITED_ROUTES.find((r) => r.method === req.method && r.path === path);
      if (!route) return next();
      if (route.kind === 'message') {
        const problem = activityLimitProblem(req.body, this.settings);
        if (problem) {
          refuse(res, 400, route.directLine ? { error: { code: 'BadArgument', message: problem } } : { error: 'invalid_activity', message: problem });
          return next(false);
        }
      }
      const key = route.conversation ? route.conversation(req) : clientIp(req, this.settings.trustProxyHops);
      if (!key) return next();
      const kind: LimitKind = route.kind === 'message' && (req.body as { type?: unknown } | undefined)?.type === 'typing' ? 'typing' : route.kind;
      this.consume(kind, key).then((wait) => {
        if (!wait) return next();
        const message = this.i18n.t(this.localeOf(req), 'http.tooMany', { seconds: wait });
        res.setHeader('Retry-After', String(wait));
        refuse(res, 429, route.directLine ? { error: { code: 'TooManyRequests', message } } : { error: 'rate_limited', message });
        next(false);
      }, next);
    };
  }

  /** The client's language: the activity's locale, else Accept-Language's first supported tag, else the default. */
  private localeOf(req: Request): Locale {
    const fromBody = normalizeLocale(typeof (req.body as { locale?: unknown } | undefined)?.locale === 'string' ? (req.body as { locale: string }).locale : undefined);
    if (fromBody) return fromBody;
    for (const tag of String(req.headers['accept-language'] ?? '').split(',')) {
      const locale = normalizeLocale(tag.split(';')[0]);
      if (locale) return locale;
    }
    return this.settings.defaultLocale;
  }
}

function refuse(res: Response, status: number, body: unknown): void {
  res.status(status);
  res.json(body);
}

/** The Redis connection of the shared rate limits: no offline queue (a limit check never waits for a reconnect), errors logged. */
export async function connectLimitsRedis(url: string, logger: Logger): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', (err: Error) => logger.warn({ err }, 'rate limits: Redis failed; counting in memory until it is back'));
  await redis.connect().catch((err: unknown) => logger.warn({ err }, 'rate limits: Redis does not answer; counting in memory until it does'));
  return redis;
}
