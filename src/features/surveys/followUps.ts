import type { Db } from '../../store/db';
import type { SurveyService } from './service';

const DAY = 86_400_000;
/** Deliveries older than the follow-up day by more than this are not visited any more (the job may have missed a run). */
const WINDOW_DAYS = 2;
/** Orders looked at in one run (a larger backlog is taken at the next runs). */
const BATCH = 500;

/** The delivered order a follow-up survey is about: one survey per order, whatever the runs. */
export const followUpCause = (orderId: string): string => `followup_visit:${orderId}`;

/**
 * Follow-up visits (回访) as surveys: each order delivered `days` ago (up to two days more, for a
 * missed run) is offered a survey in its customer's latest conversation, once per order. A customer
 * who told the care messages to stop ("不要再发了") is not visited; the survey's own rules (opt-out,
 * one per customer per SURVEYS_CAP_DAYS, quiet hours, expiry) apply when it is sent.
 */
export class FollowUpVisits {
  constructor(private readonly deps: { db: Db; surveys: Pick<SurveyService, 'schedule'>; days: number }) {}

  /** Schedules the visits that are due; returns how many were scheduled. */
  async plan(now: Date): Promise<number> {
    const { db } = this.deps;
    const due = new Date(now.getTime() - this.deps.days * DAY);
    const orders = await db.order.findMany({
      where: { status: 'DELIVERED', deliveredAt: { lte: due, gt: new Date(due.getTime() - WINDOW_DAYS * DAY) } },
      select: { id: true, customerId: true },
      orderBy: { deliveredAt: 'asc' },
      take: BATCH,
    });
    const known = new Set(
      (await db.survey.findMany({ where: { causeKey: { in: orders.map((o) => followUpCause(o.id)) } }, select: { causeKey: true } })).map((s) => s.causeKey),
    );
    let planned = 0;
    for (const order of orders.filter((o) => !known.has(followUpCause(o.id)))) {
      if (await this.visit(order)) planned++;
    }
    return planned;
  }

  private async visit(order: { id: string; customerId: string }): Promise<boolean> {
    const { db } = this.deps;
    if (await db.careOptOut.findUnique({ where: { customerId: order.customerId }, select: { customerId: true } })) return false;
    const conversation = await db.conversation.findFirst({ where: { customerId: order.customerId }, orderBy: { lastActivityAt: 'desc' }, select: { id: true } });
    if (!conversation) return false;
    const survey = await this.deps.surveys.schedule({
      customerId: order.customerId,
      conversationId: conversation.id,
      trigger: 'followup_visit',
      orderId: order.id,
      causeKey: followUpCause(order.id),
    });
    return survey !== undefined;
  }
}
