import type { ServerResponse } from 'node:http';
import restify, { type Request, type Response, type Server } from 'restify';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { Store } from '../store/db';
import { bodyParser } from './body';
import { sendError } from './errors';
import { describeIssues, inboundActivitySchema } from './activitySchema';
import { registerFavicon } from './favicon';
import type { RateLimits } from './limits';
import type { ServiceUrlPolicy } from './serviceUrls';
import { securityHeaders } from './securityHeaders';
import { installUpgradeRouter } from './upgrades';

export interface HttpDeps {
  adapter: CloudAdapter;
  runTurn: (context: TurnContext) => Promise<void>;
  store: Store;
  logger: Logger;
  maxBodyBytes: number;
  /** Rate limits and activity limits (src/http/limits.ts). */
  limits: RateLimits;
  /** Without Bot Framework authentication: where replies may go (src/http/serviceUrls.ts); undefined with it. */
  serviceUrls?: ServiceUrlPolicy;
}

export interface KefuServer {
  server: Server;
  /** Stops accepting turns, waits for in-flight ones (up to graceMs), closes the listener. */
  drain(graceMs: number): Promise<void>;
}

function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status);
  res.json(body);
}

/**
 * How long an idle kept-alive connection stays open. Node closes it after 5 s; clients keep theirs
 * for 4 s (fetch) up to minutes (channels' connection pools, browsers, load balancers idle 60 s).
 * When the server closes first, a request sent just then is cut without an answer ("other side
 * closed"), more often the busier the machine. Longer than the common pools, the client closes first.
 */
export const KEEP_ALIVE_MS = 65_000;

export function createHttpServer(deps: HttpDeps): KefuServer {
  const server = restify.createServer({ name: 'kefu', handleUncaughtExceptions: false });
  server.server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.pre(securityHeaders());
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // Our own body reader (src/http/body.ts), not restify's: bounded after decompression, and a bad
  // encoding is a 4xx instead of an error event nobody handles.
  server.use(bodyParser(deps.maxBodyBytes));
  server.use(deps.limits.middleware());
  installUpgradeRouter(server);

  // Every request counts as in flight from the moment it arrives until its response is done, so
  // draining waits for requests still being read or parsed, not only for turns already running.
  let inFlight = 0;
  let draining = false;
  let idle: (() => void) | undefined;
  server.server.on('request', (_req, res: ServerResponse) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0 && idle) idle();
    });
  });

  server.post('/api/messages', async (req: Request, res: Response) => {
    if (draining) return sendError(res, new AppError('unavailable', 'The bot is restarting; retry shortly.'));
    if (!req.is('application/json')) return sendError(res, new AppError('unsupported_media_type', 'Send the activity as application/json.'));
    const parsed = inboundActivitySchema.safeParse(req.body);
    if (!parsed.success) return sendError(res, new AppError('invalid_request', describeIssues(parsed.error)));
    if (deps.serviceUrls && !deps.serviceUrls.allows(parsed.data.serviceUrl)) {
      return sendError(res, new AppError('invalid_request', 'serviceUrl: not an allowed channel (BOT_SERVICE_URLS).'));
    }
    try {
      await deps.adapter.process(req, res, deps.runTurn);
    } catch (err) {
      deps.logger.error({ err, conversationId: parsed.data.conversation.id }, 'request failed');
      if (!res.headersSent) sendError(res, new AppError('internal', 'The turn failed; it was logged.'));
    }
  });

  registerFavicon(server);

  server.get('/healthz', async (_req: Request, res: Response) => sendJson(res, 200, { status: 'ok' }));

  server.get('/readyz', async (_req: Request, res: Response) => {
    if (draining) return sendJson(res, 503, { status: 'shutting_down' });
    try {
      await Promise.race([
        deps.store.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('store ping timed out')), 2000).unref()),
      ]);
      sendJson(res, 200, { status: 'ready', store: deps.store.provider });
    } catch (err) {
      deps.logger.warn({ err }, 'readiness check failed');
      sendJson(res, 503, { status: 'unavailable', store: deps.store.provider, message: 'The CRM store is unreachable.' });
    }
  });

  return {
    server,
    async drain(graceMs: number) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.server.closeIdleConnections?.();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (idle = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
        ]);
      }
      server.server.closeAllConnections?.();
      await closed;
    },
  };
}
