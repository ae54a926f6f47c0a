import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'restify';
import type { z } from 'zod';
import type { Logger } from '../../../logger';
import { AppError } from '../../../errors';
import { sendError } from '../../../http/errors';
import { DirectLineError, type DirectLineService } from './service';
import type { ConversationClaims, IdentityCheck, TokenService } from './tokens';
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

/** The request's public origin: WEBCHAT_PUBLIC_URL, else scheme (X-Forwarded-Proto) + Host. */
export function originOf(req: Request, publicUrl?: string): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim();
  const proto = forwarded === 'https' ? 'https' : 'http';
  return `${proto}://${req.headers.host ?? 'localhost'}`;
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
export function identityFrom(deps: Pick<DirectLineHttpDeps, 'tokens' | 'logger'>, token: string | undefined): { externalId: string; name?: string } | undefined {
  if (!token) return undefined;
  const check: IdentityCheck = deps.tokens.checkIdentity(token);
  if (!check.ok) {
    deps.logger.info({ reason: check.reason }, 'direct line: shop identity token refused');
    throw new DirectLineError(403, 'BadIdentity', 'The sign-in could not be verified; sign in again.');
  }
  return { externalId: check.externalId, name: check.name };
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
