import { Prisma, type Tx } from '../../store/records';


/** What replaces a personal text that must stay non-empty (an order's shipping fields). */
export const ERASED = '[erased]';

const UPLOAD_LINK = /\/webchat\/uploads\/([\w.-]+)/g;

/** The upload file names a JSON value links to (a message's attachments). */
function uploadNames(value: unknown): string[] {
  const text = JSON.stringify(value ?? null);
  return [...text.matchAll(UPLOAD_LINK)].map((m) => m[1]);
}

/**
 * A customer's deletion, inside the executing transaction: the customer row stays (their orders
 * and tickets point at it) with every personal field erased; their messages lose text, attachments
 * and channel data; the web chat's copies of the activities, the bot's state and the shop login link
 * go; orders keep amounts, items and dates but not the name, phone and address they were shipped
 * to; tickets keep category, status and times but not the customer's words; the audit rows about
 * the customer and their orders keep who / when / what / why, their before / after masked (the
 * chain stays verifiable: it covers the payload's digest). Returns the upload files to remove once
 * the transaction has committed.
 */
export async function anonymizeCustomer(tx: Tx, customerId: string, now: Date): Promise<{ uploads: string[] }> {
  const conversations = await tx.conversation.findMany({ where: { customerId }, select: { id: true, channelConversationId: true, reference: true } });
  const conversationIds = conversations.map((c) => c.id);
  const messageScope: Prisma.MessageWhereInput = { OR: [{ customerId }, { conversationId: { in: conversationIds } }] };
  const withFiles = await tx.message.findMany({ where: { AND: [messageScope, { attachments: { not: Prisma.DbNull } }] }, select: { attachments: true } });
  const uploads = [...new Set(withFiles.flatMap((m) => uploadNames(m.attachments)))];
  await tx.message.updateMany({ where: messageScope, data: { text: null, attachments: Prisma.DbNull, channelData: Prisma.DbNull } });

  for (const c of conversations) {
    // The reference stays usable for the outcome notice (the channel's ids), without the user's name.
    const reference = (c.reference ?? {}) as { user?: Record<string, unknown> };
    if (reference.user && 'name' in reference.user) {
      const { name: _name, ...user } = reference.user;
      await tx.conversation.update({ where: { id: c.id }, data: { reference: { ...reference, user } as Prisma.InputJsonValue } });
    }
  }
  const channelIds = conversations.map((c) => c.channelConversationId);
  await tx.directLineActivity.deleteMany({ where: { conversationId: { in: channelIds } } });
  await tx.directLineConversation.updateMany({ where: { id: { in: channelIds } }, data: { userName: null, externalId: null } });
  for (const id of channelIds) await tx.botState.deleteMany({ where: { key: { contains: id } } });

  const orders = await tx.order.findMany({ where: { customerId }, select: { id: true } });
  const orderIds = orders.map((o) => o.id);
  await tx.order.updateMany({ where: { customerId }, data: { shippingName: ERASED, shippingPhone: ERASED, shippingAddress: ERASED } });

  const tickets = await tx.ticket.findMany({ where: { customerId }, select: { id: true } });
  const ticketIds = tickets.map((t) => t.id);
  await tx.ticket.updateMany({ where: { customerId }, data: { summary: ERASED, resolutionSummary: null, contactPhone: null } });
  await tx.ticketEvent.updateMany({ where: { ticketId: { in: ticketIds } }, data: { body: null, data: Prisma.DbNull } });
  await tx.handoff.updateMany({ where: { customerId }, data: { reasonText: null } });
  // Agents' internal notes on the customer's chats are about them: they go.
  await tx.handoffNote.deleteMany({ where: { conversationId: { in: conversationIds } } });
  await tx.survey.updateMany({ where: { customerId }, data: { comment: null } });
  await tx.surveyOptOut.updateMany({ where: { customerId }, data: { text: ERASED } });
  await tx.changeRequest.updateMany({ where: { customerId }, data: { details: Prisma.DbNull } });
  await tx.domainEvent.updateMany({ where: { subject: { in: [`Customer:${customerId}`, ...orderIds.map((id) => `Order:${id}`), ...ticketIds.map((id) => `Ticket:${id}`)] } }, data: { payload: {} } });

  const audited = { OR: [{ entity: 'Customer', entityId: customerId }, { entity: 'Order', entityId: { in: orderIds } }, { entity: 'Ticket', entityId: { in: ticketIds } }] };
  await tx.auditLog.updateMany({ where: { AND: [audited, { maskedAt: null }] }, data: { before: Prisma.DbNull, after: Prisma.DbNull, payloadSalt: null, maskedAt: now } });

  await tx.channelAccount.deleteMany({ where: { customerId } });
  await tx.customer.update({ where: { id: customerId }, data: { externalId: null, name: null, phone: null, email: null, address: null, marketingConsent: false, consentUpdatedAt: now } });
  return { uploads };
}
