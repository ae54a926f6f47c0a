import { z } from 'zod';
import type { Prisma } from '../../store/records';
import { writeAudit } from '../../crm/audit';
import { AppError } from '../../errors';
import type { Broadcast } from '../../events/broadcast';
import { EVENTS_TOPIC } from '../../events/eventLog';
import type { StaffMember } from '../../staff';
import type { Db } from '../../store/db';
import { SHOP_WEBHOOK_SUBSCRIBER, webhookConcerns, type ShopOutbox, type ShopWebhook, type WebhookConcerns } from './outbound';

export const WEBHOOK_STATES = ['failing', 'dead', 'all'] as const;
export type WebhookState = (typeof WEBHOOK_STATES)[number];

/** A webhook to the shop that has not got through, as an agent sees it: what it is, whom it concerns, how it fails. */
export interface StuckWebhook extends WebhookConcerns {
  /** The delivery's id (what a retry names). */
  id: string;
  eventId: string;
  type: ShopWebhook['type'] | string;
  state: 'failing' | 'dead';
  attempts: number;
  lastError: string | null;
  /** When the dispatcher tries again (null once it gave up). */
  nextAttemptAt: Date | null;
  lastAttemptAt: Date;
  /** When the change happened (the webhook was due from then on). */
  since: Date;
}

const reasonSchema = z.string({ message: 'reason: say why (a retry is kept in the audit log with its reason)' }).trim().min(3, 'reason: say why (at least 3 characters)').max(1000);

/** The staff's words for "why retry", checked: 400 without one. */
export function retryReason(body: unknown): string {
  const result = reasonSchema.safeParse((body as { reason?: unknown } | null | undefined)?.reason);
  if (!result.success) throw new AppError('invalid_request', result.error.issues.map((i) => i.message).join('; '));
  return result.data;
}

const FAILING: Prisma.EventDeliveryWhereInput = { status: 'PENDING', attempts: { gt: 0 }, lastError: { not: null } };
const DEAD: Prisma.EventDeliveryWhereInput = { status: 'DEAD' };

/**
 * The shop's webhooks that are stuck (issue 18): failing (tried, not delivered yet, retried with
 * backoff) or dead (given up after EVENTS_MAX_ATTEMPTS), newest first, for agents to see and
 * supervisors to send again. A retry puts the delivery back at once with its attempts at zero, is
 * audit-logged with who and why, and wakes every instance's dispatcher; a delivery that is being
 * sent right now, or was delivered, is not touched (so a webhook is never sent twice for a retry).
 */
export class StuckWebhooks {
  constructor(private readonly deps: { db: Db; outbox: ShopOutbox; broadcast: Broadcast; clock: () => Date }) {}

  async list(state: WebhookState, limit = 200): Promise<StuckWebhook[]> {
    const where: Prisma.EventDeliveryWhereInput = { subscriber: SHOP_WEBHOOK_SUBSCRIBER, ...(state === 'failing' ? FAILING : state === 'dead' ? DEAD : { OR: [FAILING, DEAD] }) };
    const rows = await this.deps.db.eventDelivery.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit, include: { event: true } });
    const out: StuckWebhook[] = [];
    for (const r of rows) {
      const webhook = await this.deps.outbox.webhookFor({ ...r.event, payload: r.event.payload as unknown });
      const dead = r.status === 'DEAD';
      out.push({
        id: r.id,
        eventId: r.eventId,
        type: webhook?.type ?? r.event.type,
        state: dead ? 'dead' : 'failing',
        ...webhookConcerns(webhook),
        attempts: r.attempts,
        lastError: r.lastError,
        nextAttemptAt: dead ? null : r.nextAttemptAt,
        lastAttemptAt: r.updatedAt,
        since: r.event.createdAt,
      });
    }
    return out;
  }

  /** Sends a failing or dead webhook again now; 404 for no such webhook, 409 for one delivered, being sent, or not failing. */
  async retry(id: string, member: Pick<StaffMember, 'id'>, reason: string): Promise<void> {
    const now = this.deps.clock();
    const free: Prisma.EventDeliveryWhereInput = { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] };
    await this.deps.db.$transaction(async (tx) => {
      const before = await tx.eventDelivery.findFirst({ where: { id, subscriber: SHOP_WEBHOOK_SUBSCRIBER } });
      if (!before) throw new AppError('not_found', `no webhook to the shop with the id ${id}`);
      const { count } = await tx.eventDelivery.updateMany({
        where: { id, AND: [{ OR: [FAILING, DEAD] }, free] },
        data: { status: 'PENDING', attempts: 0, nextAttemptAt: now, leaseUntil: null, leasedBy: null },
      });
      if (count === 0) {
        const why = before.status === 'DONE' ? 'it was delivered' : before.leaseUntil && before.leaseUntil >= now ? 'it is being sent right now' : 'it has not failed';
        throw new AppError('conflict', `this webhook cannot be retried: ${why}`);
      }
      await writeAudit(tx, {
        actor: { type: 'agent', id: member.id },
        action: 'shop.webhook_retry',
        entity: 'EventDelivery',
        entityId: id,
        before: { status: before.status, attempts: before.attempts, lastError: before.lastError },
        after: { status: 'PENDING', attempts: 0 },
        reason,
        at: now,
      });
    });
    await this.deps.broadcast.publish(EVENTS_TOPIC);
  }
}
