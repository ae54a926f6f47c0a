import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'restify';
import type { z } from 'zod';
import type { Logger } from '../../../logger';
import { AppError } from '../../../errors';
import { sendError } from '../../../http/errors';
import { DirectLineError, type DirectLineService } from './service';
import type { ConversationClaims, IdentityCheck, ShopIdentity, TokenService } from './tokens';
import type { UploadStore } from './uploads';

/**
 * What every Direct Line route does with a request: CORS, the token checks, the body parsed against
 * its schema, and any failure answered as Direct Line does ({error: {code, message}}).
 */
export interface DirectLineHttpDeps {
  service: DirectLineService;
  tokens: TokenService;
  uploads: UploadStore;
  /** Most files in one upload (MAX_ATTACHMENTS). */
  maxFiles: number;
  logger: Logger;
  /** WEBCHAT_PUBLIC_URL, if set; else the request's own origin. */
  publicUrl?: string;
  /** WEBCHAT_ALLOWED_ORIGINS: '*' or a list. */
  allowedOrigins: string[] | '*';
  /** The secret path segment of the connector endpoint the bot replies to. */
  connectorKey: string;
}

/** A route's own work; it throws a DirectLineError to refuse the request. */
export type DirectLineHandler = (deps: DirectLineHttpDeps, req: Request, res: Response) => Promise<void>;

const CORS_HEADERS = 'Authorization, Content-Type, x-ms-bot-agent, x-requested-with';

export function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/**
 * Whether a Host header names this machine as a browser on it or on the local network reaches it
 * (localhost, a loopback or private address) or a site the web chat is allowed on. Any other name
 * could be anyone's: the URLs built from it are stored (a photo's link, which agents open).
 */
export function isTrustedHost(host: string, allowedOrigins: string[] | '*'): boolean {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.exec(host);
  if (!m) return false;
  const name = m[1].toLowerCase().replace(/^\[|\]$/g, '');
  if (name === 'localhost' || name.endsWith('.localhost') || name === '::1') return true;
  if (/^(127|10)\.\d+\.\d+\.\d+$|^192\.168\.\d+\.\d+$|^172\.(1[6-9]|2\d|3[01])\.\d+\.\d+$/.test(name)) return true;
  if (/^f[cd][0-9a-f]{2}:|^fe80:/.test(name)) return true;
  return allowedOrigins !== '*' && allowedOrigins.some((origin) => URL.canParse(origin) && new URL(origin).host.toLowerCase() === host.toLowerCase());
}

/**
 * The request's public origin: WEBCHAT_PUBLIC_URL; else scheme (X-Forwarded-Proto) + Host when the
 * Host is trusted (isTrustedHost); else the address the request actually came in on.
 */
export function originOf(req: Request, publicUrl: string | undefined, allowedOrigins: string[] | '*'): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim();
  const proto = forwarded === 'https' ? 'https' : 'http';
  const host = req.headers.host;
  if (host && isTrustedHost(host, allowedOrigins)) return `${proto}://${host}`;
  const { localAddress, localPort } = req.socket;
  const address = localAddress?.includes(':') && !localAddress.startsWith('::ffff:') ? `[${localAddress}]` : (localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return `http://${address}:${localPort}`;
}

/** Adds CORS headers for an allowed origin (Direct Line clients send Authorization, so preflights happen). */
export function applyCors(req: Request, res: Response, allowed: string[] | '*'): void {
  const origin = req.headers.origin;
  if (!origin) return;
  if (allowed !== '*' && !allowed.includes(origin)) return;
  res.setHeader('Access-Control-Allow-Origin', allowed === '*' ? '*' : origin);
  if (allowed !== '*') res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Headers', CORS_HEADERS);
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Max-Age', '600');
}

/** A restify handler running `handler`: CORS, then any failure answered by the one error mapper in Direct Line's format. */
export function directLineRoute(deps: DirectLineHttpDeps, handler: DirectLineHandler) {
  return async (req: Request, res: Response): Promise<void> => {
    applyCors(req, res, deps.allowedOrigins);
    try {
      await handler(deps, req, res);
    } catch (err) {
      if (!res.headersSent) sendError(res, err, { logger: deps.logger, format: 'directline' });
      else if (!(err instanceof AppError)) deps.logger.error({ err, url: req.path() }, 'direct line: request failed after its answer began');
    }
  };
}

/** The conversation token's claims (Authorization: Bearer), checked to open `conversationId` when given. */
export function claimsFor(tokens: TokenService, req: Request, conversationId?: string): ConversationClaims {
  const check = tokens.check(bearer(req), 'conversation');
  if (!check.ok) {
    if (check.reason === 'missing') throw new DirectLineError(401, 'MissingToken', 'Send the conversation token as Authorization: Bearer <token>.');
    if (check.reason === 'expired') throw new DirectLineError(403, 'TokenExpired', 'The token has expired.');
    throw new DirectLineError(403, 'BadToken', 'The token is not valid.');
  }
  if (conversationId !== undefined && check.claims.conv !== conversationId) {
    throw new DirectLineError(403, 'Forbidden', 'The token does not open this conversation.');
  }
  return check.claims;
}

/** The shop's signed-in customer from its identity token (none without a token; 403 for a bad one). */
export function identityFrom(deps: Pick<DirectLineHttpDeps, 'tokens' | 'logger'>, token: string | undefined | null): ShopIdentity | undefined {
  if (!token) return undefined;
  const check: IdentityCheck = deps.tokens.checkIdentity(token);
  if (!check.ok) {
    deps.logger.info({ reason: check.reason }, 'direct line: shop identity token refused');
    throw new DirectLineError(403, 'BadIdentity', 'The sign-in could not be verified; sign in again.');
  }
  return { externalId: check.externalId, name: check.name, until: check.until };
}

/** The body checked against its schema; 400 naming the first three problems otherwise. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new DirectLineError(400, 'BadArgument', parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

/** The `?watermark=` of a Direct Line request, if given. */
export function watermarkOf(req: Request): string | undefined {
  return typeof req.query?.watermark === 'string' ? req.query.watermark : undefined;
}
