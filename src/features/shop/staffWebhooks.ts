import type { Request, Server } from 'restify';
import { AppError } from '../../errors';
import type { Staff } from '../../staff';
import { retryReason, WEBHOOK_STATES, type StuckWebhooks, type WebhookState } from './stuckWebhooks';
import type { WebhooksPage } from './webhooksPage';

function stateOf(req: Request): WebhookState {
  const state = (req.query as Record<string, unknown> | undefined)?.state ?? 'all';
  const known = WEBHOOK_STATES.find((s) => s === state);
  if (!known) throw new AppError('invalid_request', `state: one of ${WEBHOOK_STATES.join(', ')}`);
  return known;
}

/**
 * The shop's stuck webhooks for staff (permissions in src/staff/permissions.ts):
 *   GET  /staff/api/shop/webhooks?state=failing|dead|all        shop.webhooks.read (all by default), newest first
 *   POST /staff/api/shop/webhooks/:id/retry {reason}            shop.webhooks.retry: sent again now, audit-logged; 400 without a reason
 *   GET  /staff/webhooks, POST /staff/webhooks/:id/retry        the same as a page (webhooksPage.ts)
 */
export function registerStaffWebhooks(server: Server, deps: { staff: Staff; webhooks: StuckWebhooks; page: WebhooksPage }): void {
  const { staff, webhooks, page } = deps;
  const idOf = (req: Request) => String((req.params as Record<string, string>).id ?? '');
  server.get(
    '/staff/api/shop/webhooks',
    staff.requireStaff('shop.webhooks.read')(async (req) => ({ items: await webhooks.list(stateOf(req)) })),
  );
  server.post(
    '/staff/api/shop/webhooks/:id/retry',
    staff.requireStaff('shop.webhooks.retry')(async (req, _res, auth) => {
      await webhooks.retry(idOf(req), auth.member, retryReason(req.body));
      return { id: idOf(req), queued: true };
    }),
  );
  server.get('/staff/webhooks', page.show);
  server.post('/staff/webhooks/:id/retry', page.retry);
}
