import type { Db } from '../../store/db';

/**
 * Everything Kefu stores about a customer, as one JSON package (the right to a copy): the customer
 * record, their channel accounts, conversations with every message, orders with items, tickets
 * with their history, the points ledger, surveys, their data requests and the audit rows about
 * them. Staff-internal notes on tickets are included: they are data about the customer too.
 */
export async function buildExport(db: Db, customerId: string, now: Date): Promise<Record<string, unknown>> {
  const customer = await db.customer.findUnique({ where: { id: customerId } });
  if (!customer) return { format: 'kefu-customer-export/1', exportedAt: now.toISOString(), customer: null };
  const [accounts, conversations, orders, tickets, points, tierChanges, surveys, optOut, requests] = await Promise.all([
    db.channelAccount.findMany({ where: { customerId }, select: { channelId: true, channelUserId: true, createdAt: true } }),
    db.conversation.findMany({
      where: { customerId },
      orderBy: { startedAt: 'asc' },
      select: { id: true, channelId: true, locale: true, startedAt: true, lastActivityAt: true, messages: { orderBy: { timestamp: 'asc' }, select: { direction: true, senderType: true, text: true, attachments: true, timestamp: true } } },
    }),
    db.order.findMany({ where: { customerId }, orderBy: { createdAt: 'asc' }, include: { items: { select: { sku: true, name: true, quantity: true, unitPrice: true, returnedQuantity: true, refundedAmount: true } } } }),
    db.ticket.findMany({ where: { customerId }, orderBy: { createdAt: 'asc' }, include: { events: { orderBy: { createdAt: 'asc' }, select: { type: true, fromStatus: true, toStatus: true, body: true, createdAt: true } } } }),
    db.pointsEntry.findMany({ where: { customerId }, orderBy: { createdAt: 'asc' } }),
    db.tierChange.findMany({ where: { customerId }, orderBy: { createdAt: 'asc' } }),
    db.survey.findMany({ where: { customerId }, select: { trigger: true, status: true, score: true, nps: true, comment: true, sentAt: true, answeredAt: true } }),
    db.surveyOptOut.findUnique({ where: { customerId } }),
    db.changeRequest.findMany({ where: { customerId }, select: { kind: true, reason: true, status: true, createdAt: true, executedAt: true, refusedAt: true, refusalReason: true } }),
  ]);
  const orderIds = orders.map((o) => o.id);
  const audit = await db.auditLog.findMany({
    where: { OR: [{ entity: 'Customer', entityId: customerId }, { entity: 'Order', entityId: { in: orderIds } }] },
    orderBy: { seq: 'asc' },
    select: { action: true, actorType: true, before: true, after: true, reason: true, createdAt: true },
  });
  return {
    format: 'kefu-customer-export/1',
    exportedAt: now.toISOString(),
    customer,
    channelAccounts: accounts,
    conversations,
    orders,
    tickets,
    points,
    tierChanges,
    surveys,
    surveyOptOut: optOut,
    dataRequests: requests,
    changesToYourData: audit,
  };
}
