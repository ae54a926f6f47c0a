import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../../../errors';
import { readBody } from '../../../http/body';
import {
  applyCors,
  bearer,
  claimsFor,
  directLineRoute,
  identityFrom,
  originOf,
  parseBody,
  watermarkOf,
  type DirectLineHandler,
  type DirectLineHttpDeps,
} from './requests';
import { DirectLineError, type ClientActivity } from './service';
import type { ConversationClaims } from './tokens';
import { storableText } from '../../../http/validation';

const account = z.object({ id: z.string().max(256).optional(), name: z.string().max(256).optional() }).passthrough();

const clientActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    // The customer's own words: a stray NUL or half an emoji (pasted) is mended, not refused.
    text: z.string().max(20_000).transform(storableText).nullable().optional(),
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

/** Registers the Direct Line 3.0 routes (/v3/directline/...), the connector endpoint and the upload files. */
export function registerDirectLineRoutes(server: Server, deps: DirectLineHttpDeps): void {
  const route = (handler: DirectLineHandler) => directLineRoute(deps, handler);
  const conversation = '/v3/directline/conversations/:conversationId';

  server.opts('/v3/directline/*', async (req: Request, res: Response) => {
    applyCors(req, res, deps.allowedOrigins);
    res.status(204);
    res.end();
  });
  server.post('/v3/directline/tokens/generate', route(generateToken));
  server.post('/v3/directline/tokens/refresh', route(refreshToken));
  server.post('/v3/directline/conversations', route(startConversation));
  server.get(conversation, route(reconnect));
  server.get(`${conversation}/activities`, route(activitiesSince));
  server.post(`${conversation}/activities`, route(postActivity));
  server.post(`${conversation}/upload`, route(uploadFiles));
  server.get('/webchat/uploads/:name', route(serveUpload));

  // The connector endpoint the bot replies to (its serviceUrl). The path carries a secret derived from
  // DIRECTLINE_TOKEN_SECRET: with no Microsoft app id the bot sends no credentials, and nobody else
  // should be able to speak as the bot.
  const connector = `/directline-connector/${deps.connectorKey}/v3/conversations/:conversationId`;
  const fromBot = route(activityFromBot);
  server.post(`${connector}/activities`, fromBot);
  server.post(`${connector}/activities/:replyToId`, fromBot);
  server.get(`${connector}/members`, route(members));
}

/** POST tokens/generate: a conversation token for a new conversation; needs the site secret. */
async function generateToken(deps: DirectLineHttpDeps, req: Request, res: Response): Promise<void> {
  const secret = bearer(req);
  if (!secret || !deps.tokens.isSiteSecret(secret)) throw new DirectLineError(403, 'Forbidden', 'tokens/generate needs the site secret.');
  const body = parseBody(generateSchema, req.body);
  const issued = await deps.service.generate({ userId: body.user?.id, userName: body.user?.name, identity: identityFrom(deps, body.identityToken), locale: body.locale });
  res.status(200);
  res.json(issued);
}

/** POST tokens/refresh: a fresh token for the same conversation (and the customer's sign-in, if sent). */
async function refreshToken(deps: DirectLineHttpDeps, req: Request, res: Response): Promise<void> {
  const claims = claimsFor(deps.tokens, req);
  const body = parseBody(refreshSchema, req.body);
  res.status(200);
  res.json(await deps.service.refresh(claims, identityFrom(deps, body.identityToken)));
}

/** POST conversations: starts (201) or resumes (200) the token's conversation. */
async function startConversation(deps: DirectLineHttpDeps, req: Request, res: Response): Promise<void> {
  const { service, tokens } = deps;
  const body = parseBody(startSchema, req.body);
  const given = bearer(req);
  let claims: ConversationClaims;
  if (given && tokens.isSiteSecret(given)) {
    // Direct Line also lets a trusted server start a conversation with the secret itself.
    const issued = await service.generate({ userId: body.user?.id, userName: body.user?.name, locale: body.locale });
    const check = tokens.check(issued.token, 'conversation');
    if (!check.ok) throw new DirectLineError(500, 'ServiceError', 'Could not issue a token.');
    claims = check.claims;
  } else {
    claims = claimsFor(tokens, req);
  }
  const started = await service.start(claims, { locale: body.locale, baseUrl: originOf(req, deps.publicUrl, deps.allowedOrigins) });
  const { created, ...answer } = started;
  res.status(created ? 201 : 200);
  res.json(answer);
}

/** GET conversations/:id: reconnects to a conversation (a new stream URL). */
async function reconnect(deps: DirectLineHttpDeps, req: Request, res: Response): Promise<void> {
  const claims = claimsFor(deps.tokens, req, req.params.conversationId);
  const watermark = watermarkOf(req);
  res.status(200);
  res.json(await deps.service.reconnect(claims, { watermark, baseUrl: originOf(req, deps.publicUrl, deps.allowedOrigins) }));
}

/** GET conversations/:id/activities: the activities after the watermark (polling). */
async function activitiesSince(deps: DirectLineHttpDeps, req: Request, res: Response): Promise<void> {
  const claims = claimsFor(deps.tokens, req, req.params.conversationId);
  const watermark = watermarkOf(req);
  res.status(200);
  res.json(await deps.service.activities(claims, watermark));
}

/** POST conversations/:id/activities: the customer's activity, to the bot. */
async function postActivity(deps: DirectLineHttpDeps, req: Request, res: Response): Promise<void> {
  const claims = claimsFor(deps.tokens, req, req.params.conversationId);
  if (!req.is('application/json')) throw new DirectLineError(415, 'BadArgument', 'Send the activity as application/json.');
  const activity = parseBody(clientActivitySchema, req.body) as ClientActivity;
  res.status(200);
  res.json(await deps.service.post(claims, { ...activity, attachments: ownAttachments(activity.attachments, originOf(req, deps.publicUrl, deps.allowedOrigins)) }));
}

/**
 * A customer's files reach the bot only through the upload route, which stores them here. Attachments
 * posted straight into an activity are kept only when they point at that store; any other link
 * (javascript:, data:, another site) becomes inert text naming it, never a link an agent would open.
 */
function ownAttachments(attachments: ClientActivity['attachments'], origin: string): ClientActivity['attachments'] {
  if (!attachments) return attachments;
  const own = new RegExp(`^${origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/webchat/uploads/[A-Za-z0-9_-]{32}\\.(png|jpg|gif|webp)$`);
  return attachments.map((a) => {
    const url = typeof a.contentUrl === 'string' ? a.contentUrl : undefined;
    if (url === undefined || own.test(url)) return a;
    return { contentType: 'text/plain', content: `[not accepted: a link sent as a file, ${url.replace(/[\p{Cc}]/gu, '').slice(0, 200)}]` };
  });
}

/** POST conversations/:id/upload: the photos of a multipart body, stored and sent as one message. */
async function uploadFiles(deps: DirectLineHttpDeps, req: Request, res: Response): Promise<void> {
  const claims = claimsFor(deps.tokens, req, req.params.conversationId);
  const form = await multipartForm(req, deps.uploads.maxBytes);
  const origin = originOf(req, deps.publicUrl, deps.allowedOrigins);
  const files = [...form.entries()].filter(([field, v]) => typeof v !== 'string' && field !== 'activity' && v.type !== 'application/vnd.microsoft.activity').length;
  if (files > deps.maxFiles) throw new DirectLineError(400, 'BadArgument', `At most ${deps.maxFiles} files can be sent at once.`);
  let template: ClientActivity = { type: 'message' };
  const attachments: Record<string, unknown>[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') continue;
    const bytes = Buffer.from(await value.arrayBuffer());
    if (field === 'activity' || value.type === 'application/vnd.microsoft.activity') {
      template = activityPart(bytes);
      continue;
    }
    attachments.push(await storeUpload(deps, claims, bytes, value.name, origin));
  }
  if (attachments.length === 0) throw new DirectLineError(400, 'BadArgument', 'No file was uploaded.');
  // The client's own attachment entries (names, local blob URLs, thumbnails) are replaced by the stored files.
  res.status(200);
  res.json(await deps.service.post(claims, { ...template, type: 'message', attachments }));
}

/** The multipart body, read up to the upload limit (plus room for the activity part). */
async function multipartForm(req: Request, maxBytes: number): Promise<FormData> {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) throw new DirectLineError(415, 'BadArgument', 'Upload files as multipart/form-data.');
  let raw: Buffer;
  try {
    raw = await readBody(req, maxBytes + 512 * 1024);
  } catch (err) {
    if (err instanceof AppError && err.code === 'too_large') throw new DirectLineError(413, 'MessageSizeTooBig', `Files may be at most ${maxBytes} bytes.`);
    if (err instanceof AppError) throw new DirectLineError(err.status, 'BadArgument', err.message);
    throw err;
  }
  try {
    return await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new DirectLineError(400, 'BadArgument', 'The multipart body could not be read.');
  }
}

/** The upload's activity part (text, channel data...), checked like a posted activity. */
function activityPart(bytes: Buffer): ClientActivity {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new DirectLineError(400, 'BadArgument', 'The activity part is not JSON.');
  }
  return parseBody(clientActivitySchema, json) as ClientActivity;
}

/** Stores one uploaded photo; the attachment that points at it. */
async function storeUpload(deps: DirectLineHttpDeps, claims: ConversationClaims, bytes: Buffer, name: string, origin: string): Promise<Record<string, unknown>> {
  const { uploads } = deps;
  if (bytes.length > uploads.maxBytes) throw new DirectLineError(413, 'MessageSizeTooBig', `Files may be at most ${uploads.maxBytes} bytes.`);
  const stored = await uploads.save(bytes);
  if (!stored) throw new DirectLineError(415, 'UnsupportedMediaType', 'Only photos (PNG, JPEG, GIF, WebP) can be sent.');
  deps.logger.info({ conversationId: claims.conv, bytes: stored.size, contentType: stored.contentType }, 'direct line: file uploaded');
  return { contentType: stored.contentType, contentUrl: `${origin}/webchat/uploads/${stored.name}`, name: cleanFileName(name) };
}

/** GET /webchat/uploads/:name: an uploaded photo, inline, never sniffed or run. */
async function serveUpload(deps: DirectLineHttpDeps, req: Request, res: Response): Promise<void> {
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
}

/** POST (connector) conversations/:id/activities[/:replyToId]: the bot's activity, to the customer. */
async function activityFromBot(deps: DirectLineHttpDeps, req: Request, res: Response): Promise<void> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DirectLineError(400, 'BadArgument', 'Send an activity.');
  res.status(200);
  res.json(await deps.service.fromBot(req.params.conversationId, body as Record<string, unknown>));
}

/** GET (connector) conversations/:id/members. */
async function members(deps: DirectLineHttpDeps, req: Request, res: Response): Promise<void> {
  res.status(200);
  res.json(await deps.service.members(req.params.conversationId));
}

/** A sent file's name for display: no control characters, quotes or path separators, at most 120 characters. */
function cleanFileName(name: string | undefined): string {
  const cleaned = (name ?? '').replace(/[\p{Cc}"\\/]/gu, '').slice(0, 120);
  return cleaned || 'photo';
}
