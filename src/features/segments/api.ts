import type { Server } from 'restify';
import { AppError } from '../../errors';
import type { Staff } from '../../staff';
import type { Db } from '../../store/db';
import type { SegmentJob } from './job';

/**
 * The segments' staff API:
 *   POST /segments/api/recompute        recompute now (permission segments.recompute)
 *   GET  /segments/api/customers/:id    a customer's segment and its history (permission segments.read)
 */
export function registerSegmentsApi(server: Server, deps: { db: Db; staff: Staff; job: SegmentJob; clock: () => Date }): void {
  const { db, staff, job } = deps;
  server.post(
    '/segments/api/recompute',
    staff.requireStaff('segments.recompute')(async () => {
      const result = await job.run({ trigger: 'manual', now: deps.clock() });
      if (result.outcome === 'busy') throw new AppError('conflict', 'The segments are being recomputed right now (by the nightly job or another request): try again in a few minutes');
      const { run } = result;
      return { outcome: result.outcome, run: { id: run.id, status: run.status, asOf: run.asOf, processed: run.processed, changed: run.changed, batches: run.batches, cuts: run.cuts } };
    }),
  );
  server.get(
    '/segments/api/customers/:id',
    staff.requireStaff('segments.read')(async (req) => {
      const customerId = String((req.params as Record<string, string>).id ?? '');
      const segment = await db.customerSegment.findUnique({ where: { customerId } });
      if (!segment) throw new AppError('not_found', `No segment for customer ${customerId} (not computed yet, or no such customer)`);
      const history = await db.segmentChange.findMany({ where: { customerId }, orderBy: [{ createdAt: 'asc' }, { kind: 'asc' }], take: 500 });
      return { segment, history: history.map((h) => ({ kind: h.kind, from: h.fromValue, to: h.toValue, at: h.createdAt, runId: h.runId })) };
    }),
  );
}
