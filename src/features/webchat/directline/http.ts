import type { IncomingMessage } from 'node:http';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { Logger } from '../../../logger';
import { DirectLineError, type ClientActivity, type DirectLineService } from './service';
import type { ConversationClaims, IdentityCheck, TokenService } from './tokens';
import type { UploadStore } from './uploads';

export interface DirectLineHttpDeps {
  service: DirectLineService;
  tokens: TokenService;
  uploads: UploadStore;
  logger: Logger;
  /** WEBCHAT_PUBLIC_URL, if set; else the request's own origin. */
  publicUrl?: string;
  /** WEBCHAT_ALLOWED_ORIGINS: '*' or a list. */
  allowedOrigins: string[] | '*';
  /** The secret path segment of the connector endpoint the bot replies to. */
  connectorKey: string;
}

const account = z.object({ id: z.string().max(256).optional(), name: z.string().max(256).optional() }).passthrough();

const clientActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    text: z.string().max(20_000).nullable().optional(),
    locale: z.string().max(32).nullable().optional(),
    textFormat: z.string().max(32).optional(),
    attachments: z.array(z.record(z.string(), z.unknown())).max(10).optional(),
    channelData: z.record(z.string(), z.unknown()).optional(),
    value: z.unknown().optional(),
    name: z.string().max(256).optional(),
    entities: z.array(z.unknown()).max(20).optional(),
    localTimestamp: z.string().max(64).optional(),
    localTimezone: z.string().max(64).optional(),
    from: account.optional(),
  })
  .passthrough();

const generateSchema = z
  .object({
    user: account.optional(),
    /** The shop's signed identity token for its signed-in customer (optional: anonymous otherwise). */
    identityToken: z.string().max(4096).optional(),
    locale: z.string().max(32).optional(),
  })
  .passthrough();

const startSchema = z.object({ user: account.optional(), locale: z.string().max(32).optional() }).passthrough();
const refreshSchema = z.object({ identityToken: z.string().max(4096).optional() }).passthrough();

const CORS_HEADERS = 'Authorization, Content-Type, x-ms-bot-agent, x-requested-with';

export function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

function sendError(res: Response, err: DirectLineError): void {
  res.status(err.status);
  res.json({ error: { code: err.code, message: err.message } });
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

/** Reads a request body the JSON parser skipped (multipart), up to a limit; undefined when over it. */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Registers the Direct Line 3.0 routes (/v3/directline/...), the connector endpoint and the upload files. */
export function registerDirectLineRoutes(server: Server, deps: DirectLineHttpDeps): void {
  const { service, tokens, logger } = deps;

  /** Wraps a handler: CORS, DirectLineError -> its status, anything else -> 500 (logged). */
  const route =
    (handler: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      applyCors(req, res, deps.allowedOrigins);
      try {
        await handler(req, res);
      } catch (err) {
        if (err instanceof DirectLineError) {
          sendError(res, err);
          return;
        }
        logger.error({ err, url: req.path() }, 'direct line: request failed');
        if (!res.headersSent) sendError(res, new DirectLineError(500, 'ServiceError', 'The request failed; it was logged.'));
      }
    };

  const claimsFor = (req: Request, conversationId?: string): ConversationClaims => {
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
  };

  const identityFrom = (token: string | undefined): { externalId: string; name?: string } | undefined => {
    if (!token) return undefined;
    const check: IdentityCheck = tokens.checkIdentity(token);
    if (!check.ok) {
      logger.info({ reason: check.reason }, 'direct line: shop identity token refused');
      throw new DirectLineError(403, 'BadIdentity', 'The sign-in could not be verified; sign in again.');
    }
    return { externalId: check.externalId, name: check.name };
  };

  const parse = <T>(schema: z.ZodType<T>, body: unknown): T => {
    const parsed = schema.safeParse(body ?? {});
    if (!parsed.success) throw new DirectLineError(400, 'BadArgument', parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    return parsed.data;
  };

  const preflight = async (req: Request, res: Response): Promise<void> => {
    applyCors(req, res, deps.allowedOrigins);
    res.status(204);
    res.end();
  };
  server.opts('/v3/directline/*', preflight);

  server.post(
    '/v3/directline/tokens/generate',
    route(async (req, res) => {
      const secret = bearer(req);
      if (!secret || !tokens.isSiteSecret(secret)) throw new DirectLineError(403, 'Forbidden', 'tokens/generate needs the site secret.');
      const body = parse(generateSchema, req.body);
      const issued = await service.generate({ userId: body.user?.id, userName: body.user?.name, identity: identityFrom(body.identityToken), locale: body.locale });
      res.status(200);
      res.json(issued);
    }),
  );

  server.post(
    '/v3/directline/tokens/refresh',
    route(async (req, res) => {
      const claims = claimsFor(req);
      const body = parse(refreshSchema, req.body);
      res.status(200);
      res.json(await service.refresh(claims, identityFrom(body.identityToken)));
    }),
  );

  server.post(
    '/v3/directline/conversations',
    route(async (req, res) => {
      const body = parse(startSchema, req.body);
      const given = bearer(req);
      let claims: ConversationClaims;
      if (given && tokens.isSiteSecret(given)) {
        // Direct Line also lets a trusted server start a conversation with the secret itself.
        const issued = await service.generate({ userId: body.user?.id, userName: body.user?.name, locale: body.locale });
        const check = tokens.check(issued.token, 'conversation');
        if (!check.ok) throw new DirectLineError(500, 'ServiceError', 'Could not issue a token.');
        claims = check.claims;
      } else {
        claims = claimsFor(req);
      }
      const started = await service.start(claims, { locale: body.locale, baseUrl: originOf(req, deps.publicUrl) });
      const { created, ...answer } = started;
      res.status(created ? 201 : 200);
      res.json(answer);
    }),
  );

  server.get(
    '/v3/directline/conversations/:conversationId',
    route(async (req, res) => {
      const claims = claimsFor(req, req.params.conversationId);
      const watermark = watermarkOf(req);
      res.status(200);
      res.json(service.reconnect(claims, { watermark, baseUrl: originOf(req, deps.publicUrl) }));
    }),
  );

  server.get(
    '/v3/directline/conversations/:conversationId/activities',
    route(async (req, res) => {
      const claims = claimsFor(req, req.params.conversationId);
      const watermark = watermarkOf(req);
      res.status(200);
      res.json(service.activities(claims, watermark));
    }),
  );

  server.post(
    '/v3/directline/conversations/:conversationId/activities',
    route(async (req, res) => {
      const claims = claimsFor(req, req.params.conversationId);
      if (!req.is('application/json')) throw new DirectLineError(415, 'BadArgument', 'Send the activity as application/json.');
      const activity = parse(clientActivitySchema, req.body) as ClientActivity;
      res.status(200);
      res.json(await service.post(claims, activity));
    }),
  );

  server.post(
    '/v3/directline/conversations/:conversationId/upload',
    route(async (req, res) => {
      const claims = claimsFor(req, req.params.conversationId);
      const contentType = req.headers['content-type'] ?? '';
      if (!contentType.startsWith('multipart/form-data')) throw new DirectLineError(415, 'BadArgument', 'Upload files as multipart/form-data.');
      const raw = await readRawBody(req, deps.uploads.maxBytes + 512 * 1024);
      if (!raw) throw new DirectLineError(413, 'MessageSizeTooBig', `Files may be at most ${deps.uploads.maxBytes} bytes.`);
      let form: FormData;
      try {
        form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      } catch {
        throw new DirectLineError(400, 'BadArgument', 'The multipart body could not be read.');
      }
      const origin = originOf(req, deps.publicUrl);
      let template: ClientActivity = { type: 'message' };
      const attachments: Record<string, unknown>[] = [];
      for (const [field, value] of form.entries()) {
        if (typeof value === 'string') continue;
        const bytes = Buffer.from(await value.arrayBuffer());
        if (field === 'activity' || value.type === 'application/vnd.microsoft.activity') {
          let json: unknown;
          try {
            json = JSON.parse(bytes.toString('utf8'));
          } catch {
            throw new DirectLineError(400, 'BadArgument', 'The activity part is not JSON.');
          }
          template = parse(clientActivitySchema, json) as ClientActivity;
          continue;
        }
        if (bytes.length > deps.uploads.maxBytes) throw new DirectLineError(413, 'MessageSizeTooBig', `Files may be at most ${deps.uploads.maxBytes} bytes.`);
        const stored = await deps.uploads.save(bytes);
        if (!stored) throw new DirectLineError(415, 'UnsupportedMediaType', 'Only photos (PNG, JPEG, GIF, WebP) can be sent.');
        attachments.push({ contentType: stored.contentType, contentUrl: `${origin}/webchat/uploads/${stored.name}`, name: cleanFileName(value.name) });
        logger.info({ conversationId: claims.conv, bytes: stored.size, contentType: stored.contentType }, 'direct line: file uploaded');
      }
      if (attachments.length === 0) throw new DirectLineError(400, 'BadArgument', 'No file was uploaded.');
      // The client's own attachment entries (names, local blob URLs, thumbnails) are replaced by the stored files.
      res.status(200);
      res.json(await service.post(claims, { ...template, type: 'message', attachments }));
    }),
  );

  server.get(
    '/webchat/uploads/:name',
    route(async (req, res) => {
      const file = await deps.uploads.read(req.params.name);
      if (!file) throw new DirectLineError(404, 'NotFound', 'No such file.');
      res.writeHead(200, {
        'Content-Type': file.contentType,
        'Content-Length': file.bytes.length,
        'Cache-Control': 'private, max-age=86400',
        'X-Content-Type-Options': 'nosniff',
        'Content-Disposition': 'inline',
        'Content-Security-Policy': "default-src 'none'",
      });
      res.end(file.bytes);
    }),
  );

  // The connector endpoint the bot replies to (its serviceUrl). The path carries a secret derived from
  // DIRECTLINE_TOKEN_SECRET: with no Microsoft app id the bot sends no credentials, and nobody else
  // should be able to speak as the bot.
  const connector = `/directline-connector/${deps.connectorKey}/v3/conversations/:conversationId`;
  const fromBot = route(async (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DirectLineError(400, 'BadArgument', 'Send an activity.');
    res.status(200);
    res.json(service.fromBot(req.params.conversationId, body as Record<string, unknown>));
  });
  server.post(`${connector}/activities`, fromBot);
  server.post(`${connector}/activities/:replyToId`, fromBot);
  server.get(
    `${connector}/members`,
    route(async (req, res) => {
      res.status(200);
      res.json(service.members(req.params.conversationId));
    }),
  );
}

/** A sent file's name for display: no control characters, quotes or path separators, at most 120 characters. */
function cleanFileName(name: string | undefined): string {
  const cleaned = (name ?? '').replace(/[\p{Cc}"\\/]/gu, '').slice(0, 120);
  return cleaned || 'photo';
}

/** The `?watermark=` of a Direct Line request, if given. */
function watermarkOf(req: Request): string | undefined {
  return typeof req.query?.watermark === 'string' ? req.query.watermark : undefined;
}
