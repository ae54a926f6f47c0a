import type { Db } from '../../store/db';
import { isUniqueViolation } from '../../store/errors';
import { buildDemoShop, seedIfEmpty, type SeedOptions, type SeedSummary } from '../../store/seed';
import type { ShopIngest } from './ingest';
import { MAX_BATCH, shopEventSchema, type ShopEvent } from './schemas';

/** The demo shop's data as the events a real shop would send (customer.created, order.created, paid, shipped, delivered, cancelled, refunded). */
export function demoShopEvents(options: SeedOptions): { events: ShopEvent[]; openingPoints: { externalId: string; points: number }[] } {
  const shop = buildDemoShop(options);
  const externalIdOf = new Map(shop.customers.map((c) => [c.id as string, c.externalId as string]));
  const at = (d: Date | string | null | undefined) => new Date(d as Date).toISOString();
  const events: ShopEvent[] = [];
  for (const c of shop.customers) {
    events.push({
      id: `demo:customer:${c.externalId as string}`,
      occurredAt: at(c.createdAt),
      type: 'customer.created',
      data: { customerId: c.externalId as string, name: c.name ?? undefined, phone: c.phone ?? undefined, email: c.email ?? undefined, address: c.address ?? undefined, locale: (c.locale ?? undefined) as 'zh-CN' | 'en-US' | undefined },
    });
  }
  for (const o of shop.orders) {
    const number = o.number;
    const items = shop.items.filter((i) => i.orderId === o.id);
    const id = (kind: string) => `demo:order:${number}:${kind}`;
    events.push({
      id: id('created'),
      occurredAt: at(o.createdAt),
      type: 'order.created',
      data: {
        orderNumber: number,
        customerId: externalIdOf.get(o.customerId)!,
        items: items.map((i) => ({ sku: i.sku, name: i.name, nameEn: i.nameEn ?? undefined, quantity: i.quantity, unitPrice: i.unitPrice })),
        shippingFee: o.shippingFee ?? 0,
        discount: o.discount ?? 0,
        total: o.total,
        currency: o.currency ?? 'CNY',
        shipping: { name: o.shippingName!, phone: o.shippingPhone!, address: o.shippingAddress! },
      },
    });
    if (o.paidAt) events.push({ id: id('paid'), occurredAt: at(o.paidAt), type: 'order.paid', data: { orderNumber: number, paymentMethod: o.paymentMethod ?? undefined } });
    if (o.shippedAt) events.push({ id: id('shipped'), occurredAt: at(o.shippedAt), type: 'order.shipped', data: { orderNumber: number, carrier: o.carrier!, trackingNumber: o.trackingNumber! } });
    if (o.deliveredAt) events.push({ id: id('delivered'), occurredAt: at(o.deliveredAt), type: 'order.delivered', data: { orderNumber: number } });
    if (o.cancelledAt) events.push({ id: id('cancelled'), occurredAt: at(o.cancelledAt), type: 'order.cancelled', data: { orderNumber: number } });
    if (o.returnedAt) {
      // Everything came back; the goods are refunded (the shipping fee is not).
      events.push({ id: id('refunded'), occurredAt: at(o.returnedAt), type: 'order.refunded', data: { orderNumber: number, items: items.map((i) => ({ sku: i.sku, quantity: i.quantity, amount: i.unitPrice * i.quantity })) } });
    }
  }
  const opening = new Map(shop.ledger.filter((e) => e.kind === 'opening').map((e) => [e.customerId, e.delta]));
  return { events, openingPoints: shop.customers.flatMap((c) => (opening.get(c.id as string) ? [{ externalId: c.externalId as string, points: opening.get(c.id as string)! }] : [])) };
}

/**
 * Loads the demo shop into an empty store through the path a real shop's data takes: its events go
 * through ShopIngest (so the points of delivered orders are earned, and those of returned ones taken
 * back, by the same hooks), and the points members brought from before go into the ledger as opening
 * entries. Every event has a fixed id, so two instances starting together on an empty store apply
 * each once (the second finds them duplicates). Returns undefined when the store already had customers.
 */
export async function seedDemoShopThroughEvents(
  deps: { db: Db; ingest: Pick<ShopIngest, 'applyMany'>; opening: (customerId: string, points: number) => Promise<void> },
  options: SeedOptions,
): Promise<SeedSummary | undefined> {
  if ((await deps.db.customer.count()) > 0) return undefined;
  const { events, openingPoints } = demoShopEvents(options);
  // Events come in the order they happened: a delivery after its shipment, a customer before their orders.
  const sorted = [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || rank(a) - rank(b));
  // Checked against the shop's own contract, as a request to POST /api/shop/events would be; applied in batches, as the batch endpoint does.
  const parsed = sorted.map((event) => shopEventSchema.parse(event));
  for (let at = 0; at < parsed.length; at += MAX_BATCH) {
    const failed = (await deps.ingest.applyMany(parsed.slice(at, at + MAX_BATCH))).find((r) => r instanceof Error && !isUniqueViolation(r));
    if (failed) throw failed;
  }
  const ids = new Map((await deps.db.customer.findMany({ where: { externalId: { in: openingPoints.map((p) => p.externalId) } }, select: { id: true, externalId: true } })).map((c) => [c.externalId, c.id]));
  for (const { externalId, points } of openingPoints) {
    const id = ids.get(externalId);
    if (id) await deps.opening(id, points);
  }
  return { customers: events.filter((e) => e.type === 'customer.created').length, orders: events.filter((e) => e.type === 'order.created').length };
}

/**
 * The demo shop for an empty store (DB_SEED_ON_START): 'events', as `npm start` loads it, through the
 * shop's ingest like a real shop's data; 'rows', the same shop written in one transaction (the tests'
 * quick load: test/shop/demoSeed.test.ts checks that both give the same shop). Undefined when the
 * store already had customers.
 */
export async function seedDemoShop(
  mode: 'events' | 'rows',
  deps: Parameters<typeof seedDemoShopThroughEvents>[0],
  options: SeedOptions,
): Promise<{ summary: SeedSummary; message: string } | undefined> {
  const summary = mode === 'rows' ? await seedIfEmpty(deps.db, options) : await seedDemoShopThroughEvents(deps, options);
  return summary && { summary, message: mode === 'rows' ? 'demo shop loaded into an empty store' : 'demo shop loaded into an empty store, through the shop event path' };
}

const RANK: Record<ShopEvent['type'], number> = {
  'customer.created': 0,
  'customer.updated': 1,
  'customer.consent': 1,
  'customer.sessions_revoked': 1,
  'order.created': 2,
  'order.paid': 3,
  'order.shipped': 4,
  'order.delivered': 5,
  'order.cancelled': 6,
  'order.cancel_refused': 6,
  'order.refunded': 7,
};

function rank(e: ShopEvent): number {
  return RANK[e.type];
}
