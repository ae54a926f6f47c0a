import type { Db } from '../../store/db';
import type { HandoffDesk } from './desk';
import type { CustomerStandingLookup } from './queue';
import type { HandoffRow } from './types';

/** What the agent sees of a chat: the customer, their orders and tickets, why they asked, and the whole transcript. */
export async function caseCard(db: Db, desk: HandoffDesk, handoff: HandoffRow, standings?: CustomerStandingLookup) {
  const found = handoff.customerId
    ? await db.customer.findUnique({ where: { id: handoff.customerId }, select: { id: true, externalId: true, name: true, phone: true, email: true, tier: true, points: true, locale: true } })
    : null;
  // Tier, value class and lifecycle stage side by side (value and stage: null until the segment job ran).
  const standing = found ? await standings?.of(found.id) : null;
  const customer = found ? { ...found, valueClass: standing?.valueClass ?? null, stage: standing?.stage ?? null } : null;
  const [orders, tickets, messages, written] = await Promise.all([
    handoff.customerId ? db.order.findMany({ where: { customerId: handoff.customerId }, orderBy: { createdAt: 'desc' }, take: 5, select: { number: true, status: true, total: true, createdAt: true, shippedAt: true, deliveredAt: true } }) : [],
    handoff.customerId
      ? db.ticket.findMany({ where: { customerId: handoff.customerId, status: { notIn: ['CLOSED'] } }, orderBy: { createdAt: 'desc' }, take: 10, select: { number: true, category: true, status: true, dueAt: true, summary: true, contactPhone: true } })
      : [],
    db.message.findMany({ where: { conversationId: handoff.conversationId }, orderBy: { timestamp: 'asc' }, take: 500, select: { id: true, direction: true, senderType: true, senderId: true, text: true, attachments: true, timestamp: true } }),
    desk.writtenWhileQueued(handoff),
  ]);
  return {
    chat: {
      id: handoff.id,
      conversationId: handoff.conversationId,
      status: handoff.status,
      queue: handoff.queue,
      reason: handoff.reason,
      reasonText: handoff.reasonText,
      agentId: handoff.agentId,
      locale: handoff.locale,
      requestedAt: handoff.requestedAt,
      acceptedAt: handoff.acceptedAt,
      version: handoff.version,
    },
    customer,
    orders,
    tickets,
    writtenWhileQueued: written,
    transcript: messages.map((m) => ({ id: m.id, from: m.senderType, senderId: m.senderId, text: m.text, attachments: m.attachments, at: m.timestamp })),
  };
}
