import type { Db } from '../../store/db';

const DAY = 86_400_000;

/**
 * Conversions: a care message followed by a counted order (paid or later, not cancelled) from the
 * same customer within CARE_CONVERSION_DAYS is "converted to an order" (the first such order).
 */
export async function recordConversions(db: Db, now: Date, conversionDays: number): Promise<number> {
  const open = await db.careMessage.findMany({
    where: { status: 'SENT', convertedAt: null, sentAt: { gt: new Date(now.getTime() - (conversionDays + 7) * DAY) } },
    select: { id: true, customerId: true, sentAt: true },
    take: 5000,
  });
  let converted = 0;
  for (const m of open) {
    const sentAt = m.sentAt as Date;
    const order = await db.order.findFirst({
      where: { customerId: m.customerId, status: { notIn: ['CREATED', 'CANCELLED'] }, createdAt: { gt: sentAt, lte: new Date(Math.min(now.getTime(), sentAt.getTime() + conversionDays * DAY)) } },
      orderBy: { createdAt: 'asc' },
      select: { id: true, createdAt: true },
    });
    if (!order) continue;
    converted += (await db.careMessage.updateMany({ where: { id: m.id, convertedAt: null }, data: { convertedOrderId: order.id, convertedAt: order.createdAt } })).count;
  }
  return converted;
}
