import type { Request, Response, Server } from 'restify';
import type { RawBodyRequest } from '../../http/body';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import type { Db } from '../../store/db';
import { asError, isUniqueViolation } from '../../store/errors';
import type { BatchResult } from './batchIngest';
import type { IngestOutcome, ShopIngest } from './ingest';
import { describeIssues, idOf, MAX_BATCH, SHOP_EVENT_TYPES, shopBatchSchema, shopEventSchema, type ShopEvent } from './schemas';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from './signature';

export interface ShopApiDeps {
  db: Db;
  ingest: ShopIngest;
  /** Unset: the API answers 503 (nothing can be verified). */
  secret: string | undefined;
  toleranceSeconds: number;
  clock: () => Date;
  logger: Logger;
}

/** One event's answer (also each item of a batch's answer). */
export type EventResult = { id: string | null; status: number; outcome?: IngestOutcome; error?: string; message?: string };

/**
 * The shop's way in (signed, JSON):
 *   POST /api/shop/events        one event        → 200 {id, status, outcome} | 4xx {error, message}
 *   POST /api/shop/events/batch  {events: [...]}  → 200 {results: [{id, status, outcome | error, message}]}
 * A wrong or missing signature or a stale timestamp is 401, a replayed request 409, for the whole
 * request; in a batch each event is applied or refused on its own.
 */
export function registerShopApi(server: Server, deps: ShopApiDeps): void {
  let lastPurge = 0;

  async function authenticate(req: Request): Promise<void> {
    if (!deps.secret) throw new AppError('unavailable', 'SHOP_WEBHOOK_SECRET is not set: Kefu cannot verify the shop\'s requests');
    if (!req.is('application/json')) throw new AppError('unsupported_media_type', 'Send the events as application/json');
    const now = deps.clock();
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const signature = verify(
      deps.secret,
      { timestamp: header(TIMESTAMP_HEADER), signature: header(SIGNATURE_HEADER) },
      (req as RawBodyRequest).rawBody ?? Buffer.alloc(0),
      now,
      deps.toleranceSeconds,
    );
    if (now.getTime() - lastPurge > 60_000) {
      lastPurge = now.getTime();
      await deps.db.shopRequestSeen.deleteMany({ where: { receivedAt: { lt: new Date(now.getTime() - 2 * deps.toleranceSeconds * 1000) } } });
    }
    try {
      await deps.db.shopRequestSeen.create({ data: { signature, receivedAt: now } });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('conflict', 'This request was already received (same timestamp and signature): a replay is refused. Sign each new request with a new timestamp');
      throw err;
    }
  }

  /** The event parsed, or its refusal. */
  function parse(raw: unknown): { event: ShopEvent } | EventResult {
    const id = idOf(raw);
    const type = (raw as { type?: unknown } | null)?.type;
    if (typeof type === 'string' && !(SHOP_EVENT_TYPES as string[]).includes(type)) {
      return { id, status: 400, error: 'invalid_request', message: `type: unknown event type "${type.slice(0, 60)}"; known: ${SHOP_EVENT_TYPES.join(', ')}` };
    }
    const parsed = shopEventSchema.safeParse(raw);
    return parsed.success ? { event: parsed.data } : { id, status: 400, error: 'invalid_request', message: describeIssues(parsed.error) };
  }

  function answer(event: ShopEvent, result: BatchResult): EventResult {
    if (!(result instanceof Error)) return { id: event.id, status: 200, outcome: result };
    if (result instanceof AppError) return { id: event.id, status: result.status, error: result.code, message: result.message };
    deps.logger.error({ err: result, eventId: event.id, type: event.type }, 'shop event failed');
    return { id: event.id, status: 500, error: 'internal', message: 'The event could not be applied; it was logged. Send it again later.' };
  }

  /**
   * Each event parsed; the valid ones applied together, in order, in one batch; the answers in the
   * order sent. A lone event joins the events of concurrent requests (ShopIngest.apply).
   */
  async function applyAll(raws: unknown[]): Promise<EventResult[]> {
    const parsed = raws.map(parse);
    const events = parsed.flatMap((p) => ('event' in p ? [p.event] : []));
    const applied = events.length === 1 ? [await deps.ingest.apply(events[0]!).catch(asError)] : await deps.ingest.applyMany(events);
    let next = 0;
    return parsed.map((p) => ('event' in p ? answer(p.event, applied[next++]!) : p));
  }

  const route = (handler: (req: Request) => Promise<{ status: number; body: unknown }>) => async (req: Request, res: Response) => {
    try {
      await authenticate(req);
      const { status, body } = await handler(req);
      res.status(status);
      res.json(body);
    } catch (err) {
      const e = err instanceof AppError ? err : undefined;
      if (!e) deps.logger.error({ err }, 'shop request failed');
      res.status(e?.status ?? 500);
      res.json({ error: e?.code ?? 'internal', message: e?.message ?? 'The request failed; it was logged.' });
    }
  };

  server.post('/api/shop/events', route(async (req) => {
    const [result] = await applyAll([req.body]);
    return { status: result!.status, body: result };
  }));

  server.post('/api/shop/events/batch', route(async (req) => {
    const batch = shopBatchSchema.safeParse(req.body);
    if (!batch.success) throw new AppError('invalid_request', `${describeIssues(batch.error)} (send {"events": [...]}, 1 to ${MAX_BATCH} events)`);
    return { status: 200, body: { results: await applyAll(batch.data.events) } };
  }));
}
