import { z } from 'zod';

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional());
const optionalSecret = z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16, 'at least 16 characters').optional());

/** Configuration keys of the shop integration (src/features/shop). */
export const shopConfigSchema = z.object({
  /** The secret shared with the shop: it signs what the shop sends Kefu and what Kefu sends the shop. Unset: POST /api/shop/events answers 503. */
  SHOP_WEBHOOK_SECRET: optionalSecret,
  /** Where Kefu sends the customer's order changes (signed webhooks). Unset: an in-process demo shop answers. */
  SHOP_WEBHOOK_URL: optionalUrl,
  /** How old (or how far ahead) a signed request's timestamp may be, in seconds. */
  SHOP_SIGNATURE_TOLERANCE_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  /** How long Kefu waits for the shop to answer one webhook, in milliseconds. */
  SHOP_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
});
export type ShopConfig = z.infer<typeof shopConfigSchema>;
