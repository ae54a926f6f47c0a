import { z } from 'zod';

/**
 * What a shop sends Kefu (POST /api/shop/events): one event, or {events: [...]} to /batch. Every
 * event has the shop's own unique `id` (applied once), a `type`, when it happened (`occurredAt`,
 * ISO 8601: an event older than the state Kefu holds never overwrites it) and its `data`.
 * Amounts are in fen (1/100 yuan), integers. The README's JSON Schema is generated from these.
 */
const customerId = z.string().trim().min(1).max(100).describe("The shop's customer id (the identity token's sub)");
const orderNumber = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{1,40}$/, 'letters, digits and - only, at most 40')
  .transform((s) => s.toUpperCase())
  .describe('The order number customers see');
const fen = z.number().int().min(0).max(1_000_000_000);
const text = (max: number) => z.string().trim().min(1).max(max);

const customerFields = z
  .object({
    customerId,
    name: text(100).optional(),
    phone: text(40).optional(),
    email: z.string().trim().email().max(200).optional(),
    address: text(200).optional(),
    locale: z.enum(['zh-CN', 'en-US']).optional(),
    birthday: z
      .string()
      .regex(/^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'MM-DD or YYYY-MM-DD')
      .optional()
      .describe("The customer's birthday (MM-DD or YYYY-MM-DD): the birthday greeting of the care messages"),
  })
  .strict();

const item = z
  .object({
    sku: text(64),
    name: text(200),
    nameEn: text(200).optional(),
    quantity: z.number().int().min(1).max(10_000),
    unitPrice: fen,
  })
  .strict();

const orderCreated = z
  .object({
    orderNumber,
    customerId,
    items: z.array(item).min(1).max(200),
    shippingFee: fen.default(0),
    discount: fen.default(0),
    total: fen,
    currency: z.string().regex(/^[A-Z]{3}$/).default('CNY'),
    paymentMethod: text(40).optional(),
    shipping: z.object({ name: text(100), phone: text(40), address: text(200) }).strict(),
  })
  .strict()
  .refine((o) => new Set(o.items.map((i) => i.sku)).size === o.items.length, { message: 'each sku at most once per order', path: ['items'] });

const refundLine = z
  .object({
    sku: text(64),
    /** Units that came back (0 for a refund without a return). */
    quantity: z.number().int().min(0).max(10_000).default(0),
    /** The amount refunded for this item, in fen. */
    amount: fen,
  })
  .strict();

const base = {
  id: z.string().trim().min(1).max(100).describe("The shop's unique id of this event: it is applied once"),
  occurredAt: z.iso.datetime({ offset: true }).describe('When it happened in the shop (ISO 8601)'),
};

export const shopEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('customer.created'), data: customerFields }).strict(),
  z.object({ ...base, type: z.literal('customer.updated'), data: customerFields }).strict(),
  z.object({ ...base, type: z.literal('customer.consent'), data: z.object({ customerId, marketing: z.boolean() }).strict() }).strict(),
  z
    .object({ ...base, type: z.literal('customer.sessions_revoked'), data: z.object({ customerId }).strict() })
    .strict()
    .describe("The customer's web chat sign-ins end now (a password change, \"sign out everywhere\"): the bot asks them to sign in again"),
  z.object({ ...base, type: z.literal('order.created'), data: orderCreated }).strict(),
  z.object({ ...base, type: z.literal('order.paid'), data: z.object({ orderNumber, paymentMethod: text(40).optional() }).strict() }).strict(),
  z.object({ ...base, type: z.literal('order.shipped'), data: z.object({ orderNumber, carrier: text(60), trackingNumber: text(60) }).strict() }).strict(),
  z.object({ ...base, type: z.literal('order.delivered'), data: z.object({ orderNumber }).strict() }).strict(),
  z.object({ ...base, type: z.literal('order.cancelled'), data: z.object({ orderNumber, reason: text(500).optional() }).strict() }).strict(),
  z
    .object({ ...base, type: z.literal('order.cancel_refused'), data: z.object({ orderNumber, reason: text(500) }).strict() })
    .strict()
    .describe('The shop refuses a cancellation the customer asked for in chat (it has already shipped, ...)'),
  z
    .object({ ...base, type: z.literal('order.refunded'), data: z.object({ orderNumber, items: z.array(refundLine).min(1).max(200) }).strict() })
    .strict()
    .describe('Items returned and/or refunded (per item; several events may refund one order bit by bit)'),
]);

export type ShopEvent = z.infer<typeof shopEventSchema>;
export type ShopEventType = ShopEvent['type'];
export const SHOP_EVENT_TYPES = shopEventSchema.options.map((o) => o.shape.type.value);

/** The batch form: up to 500 events, each applied (or refused) on its own. */
export const MAX_BATCH = 500;
export const shopBatchSchema = z.object({ events: z.array(z.unknown()).min(1).max(MAX_BATCH) }).strict();

/** "path: problem; ..." for an answer. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
    .join('; ');
}

/** The event's id if the body has one (to name a refused event in a batch's answer). */
export function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}
