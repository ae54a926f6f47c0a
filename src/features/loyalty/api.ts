import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import { requirePermission, type Permission, type StaffRole } from '../../staff';
import type { Db } from '../../store/db';
import type { PointsLedger } from './ledger';

/** Who may call the loyalty API: an agent's bearer token (the tickets feature's agents). */
export interface AgentAuth {
  authenticate(token: string): Promise<{ id: string; role: StaffRole } | undefined>;
}

const adjustmentSchema = z.object({ delta: z.number().int().min(-1_000_000).max(1_000_000).refine((d) => d !== 0, 'not 0'), reason: z.string().trim().min(3).max(500) }).strict();

/**
 * Staff API (bearer token of an agent; points.read / points.adjust in src/staff/permissions.ts):
 *   GET  /api/loyalty/customers/:customerId               balance, tier, ledger and tier history
 *   POST /api/loyalty/customers/:customerId/adjustments   {delta, reason} → 201 {balance, tier}
 * :customerId is the shop's customer id.
 */
export function registerLoyaltyApi(server: Server, deps: { db: Db; ledger: PointsLedger; agents: AgentAuth; logger: Logger }): void {
  const route = (permission: Permission, handler: (req: Request, agent: { id: string; role: StaffRole }) => Promise<{ status: number; body: unknown }>) => async (req: Request, res: Response) => {
    try {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const agent = token ? await deps.agents.authenticate(token) : undefined;
      if (!agent) throw new AppError('unauthorized', 'Send Authorization: Bearer <token>');
      requirePermission(agent.role, permission);
      const { status, body } = await handler(req, agent);
      res.status(status);
      res.json(body);
    } catch (err) {
      const e = err instanceof AppError ? err : undefined;
      if (!e) deps.logger.error({ err }, 'loyalty request failed');
      res.status(e?.status ?? 500);
      res.json({ error: e?.code ?? 'internal', message: e?.message ?? 'The request failed; it was logged.' });
    }
  };
  const customerOf = async (req: Request) => {
    const externalId = String((req.params as { customerId?: string }).customerId ?? '');
    const customer = await deps.db.customer.findUnique({ where: { externalId }, select: { id: true, tier: true } });
    if (!customer) throw new AppError('not_found', `No customer ${externalId}`);
    return customer;
  };

  server.get('/api/loyalty/customers/:customerId', route('points.read', async (req) => {
    const customer = await customerOf(req);
    const [balance, entries, tierChanges] = await Promise.all([
      deps.ledger.balance(customer.id),
      deps.db.pointsEntry.findMany({ where: { customerId: customer.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 200 }),
      deps.db.tierChange.findMany({ where: { customerId: customer.id }, orderBy: { createdAt: 'desc' } }),
    ]);
    return {
      status: 200,
      body: {
        balance,
        tier: customer.tier,
        entries: entries.map((e) => ({ delta: e.delta, kind: e.kind, reason: e.reason, orderId: e.orderId, actor: { type: e.actorType, id: e.actorId }, createdAt: e.createdAt })),
        tierChanges: tierChanges.map((t) => ({ from: t.fromTier, to: t.toTier, points: t.points, at: t.createdAt })),
      },
    };
  }));

  server.post('/api/loyalty/customers/:customerId/adjustments', route('points.adjust', async (req, agent) => {
    const parsed = adjustmentSchema.safeParse(req.body);
    if (!parsed.success) throw new AppError('invalid_request', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const customer = await customerOf(req);
    const result = await deps.ledger.adjust(customer.id, parsed.data.delta, parsed.data.reason, { type: 'agent', id: agent.id });
    return { status: 201, body: result };
  }));
}
