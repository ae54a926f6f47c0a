import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { ChangeRequest } from './types';
import { writeAudit } from '../../crm/audit';
import { CONTACT_FIELDS } from '../../crm/customers';
import { AppError } from '../../errors';
import type { I18n } from '../../i18n/i18n';
import type { Logger } from '../../logger';
import { sendError } from '../../http/errors';
import type { Permission, Staff } from '../../staff';
import type { Db } from '../../store/db';
import { CHANGE_KINDS, type ChangeRequestService, type Step } from './changeRequests';
import { STEP_PERMISSION } from './changesPage';
import { buildExport } from './exportPackage';
import { sha256 } from './notices';

const reason = z.string({ message: 'reason: say why (every change by staff records its reason)' }).trim().min(3, 'reason: say why (at least 3 characters)').max(1000);
const openSchema = z
  .object({ customerId: z.string().min(1), kind: z.enum(CHANGE_KINDS), reason, details: z.object({ field: z.enum(CONTACT_FIELDS), value: z.string().min(1).max(200) }).strict().optional() })
  .strict();
const decisionSchema = z.object({ decision: z.enum(['approve', 'refuse']), reason }).strict();

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new AppError('invalid_request', result.error.issues.map((i) => (i.message.includes(':') ? i.message : `${i.path.join('.') || '(body)'}: ${i.message}`)).join('; '));
  return result.data;
}

export function requestView(r: ChangeRequest, now: Date) {
  const open = r.status.startsWith('AWAITING_');
  return {
    id: r.id,
    customerId: r.customerId,
    kind: r.kind,
    details: r.details,
    reason: r.reason,
    status: r.status,
    requestedBy: { type: r.requestedByType, id: r.requestedById },
    stepDueAt: open ? r.stepDueAt : null,
    dueAt: r.dueAt,
    overdue: open && r.stepDueAt.getTime() < now.getTime(),
    supervisor: r.supervisorId ? { id: r.supervisorId, at: r.supervisorAt } : null,
    crmHead: r.crmHeadId ? { id: r.crmHeadId, at: r.crmHeadAt } : null,
    executor: r.executorId ? { id: r.executorId, at: r.executedAt } : null,
    refused: r.refusedById ? { by: r.refusedById, at: r.refusedAt, step: r.refusedStep, reason: r.refusalReason } : null,
    version: r.version,
    createdAt: r.createdAt,
  };
}

const STEP_ROUTES: [string, Step, Permission][] = [
  ['supervisor', 'supervisor', STEP_PERMISSION.supervisor],
  ['crm-head', 'crm_head', STEP_PERMISSION.crm_head],
  ['execute', 'execution', STEP_PERMISSION.execution],
];

/**
 * Change requests for staff (permissions in src/staff/permissions.ts), and the customer's download:
 *   GET  /staff/api/change-requests?status=&customerId=     changes.read
 *   POST /staff/api/change-requests {customerId, kind, reason, details?}   changes.request → 201
 *   GET  /staff/api/change-requests/:id                      changes.read
 *   POST /staff/api/change-requests/:id/supervisor {decision: approve|refuse, reason}   changes.approve.supervisor
 *   POST /staff/api/change-requests/:id/crm-head   {decision, reason}                   changes.approve.crm_head
 *   POST /staff/api/change-requests/:id/execute    {decision, reason}                   changes.execute
 *   GET  /staff/api/change-requests/:id/export     the JSON package of a carried-out export (changes.execute), audit-logged
 *   GET  /privacy/export/:token                     the customer's one-time download (the link sent in chat)
 * A change without a reason is 400 with the reason.
 */
export function registerPrivacyApi(server: Server, deps: { db: Db; staff: Staff; requests: ChangeRequestService; clock: () => Date; i18n: I18n; logger: Logger }): void {
  const { staff, requests, clock, db } = deps;
  const idOf = (req: Request) => String((req.params as Record<string, string>).id ?? '');

  server.get(
    '/staff/api/change-requests',
    staff.requireStaff('changes.read')(async (req) => {
      const q = (req.query ?? {}) as Record<string, unknown>;
      const items = await requests.list({ status: typeof q.status === 'string' ? q.status : undefined, customerId: typeof q.customerId === 'string' ? q.customerId : undefined });
      return { items: items.map((r) => requestView(r, clock())) };
    }),
  );
  server.post(
    '/staff/api/change-requests',
    staff.requireStaff('changes.request')(async (req, res, auth) => {
      const body = parse(openSchema, req.body);
      const { request } = await requests.open({ ...body, actor: { type: 'agent', id: auth.member.id } });
      res.status(201);
      res.json({ request: requestView(request, clock()) });
    }),
  );
  server.get('/staff/api/change-requests/:id', staff.requireStaff('changes.read')(async (req) => ({ request: requestView(await requests.get(idOf(req)), clock()) })));
  for (const [path, step, permission] of STEP_ROUTES) {
    server.post(
      `/staff/api/change-requests/:id/${path}`,
      staff.requireStaff(permission)(async (req, _res, auth) => {
        const body = parse(decisionSchema, req.body);
        return { request: requestView(await requests.decide(idOf(req), step, auth.member, body.decision, body.reason), clock()) };
      }),
    );
  }
  server.get(
    '/staff/api/change-requests/:id/export',
    staff.requireStaff('changes.execute')(async (req, _res, auth) => {
      const request = await requests.get(idOf(req));
      if (request.kind !== 'export' || request.status !== 'DONE') throw new AppError('conflict', 'only a carried-out export request has a package');
      await db.$transaction((tx) => writeAudit(tx, { actor: { type: 'agent', id: auth.member.id }, action: 'customer.export_read', entity: 'Customer', entityId: request.customerId, reason: `change request ${request.id}: the executor sends the package` }));
      return buildExport(db, request.customerId, clock());
    }),
  );

  server.get('/privacy/export/:token', async (req: Request, res: Response) => {
    try {
      const token = String((req.params as Record<string, string>).token ?? '');
      const now = clock();
      const request = await db.changeRequest.findUnique({ where: { downloadTokenHash: sha256(token) } });
      const taken = request && request.kind === 'export' && request.status === 'DONE' && request.downloadExpiresAt && request.downloadExpiresAt > now
        ? await db.$transaction(async (tx) => {
            const used = await tx.changeRequest.updateMany({ where: { id: request.id, downloadedAt: null }, data: { downloadedAt: now } });
            if (used.count === 1) await writeAudit(tx, { actor: { type: 'customer', id: request.customerId }, action: 'customer.export_downloaded', entity: 'Customer', entityId: request.customerId, reason: `change request ${request.id}: the customer's one-time download` });
            return used.count === 1;
          })
        : false;
      if (!taken || !request) {
        const locale = request?.locale === 'en-US' ? 'en-US' : 'zh-CN';
        res.writeHead(410, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end(deps.i18n.t(locale, 'privacy.download.gone'));
        return;
      }
      const body = JSON.stringify(await buildExport(db, request.customerId, now), null, 2);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="my-data-${now.toISOString().slice(0, 10)}.json"`, 'cache-control': 'no-store' });
      res.end(body);
    } catch (err) {
      sendError(res, err, { logger: deps.logger });
    }
  });
}
