import { z } from 'zod';

/** One coupon of the redemption catalogue: its price in points, its amount in fen, how long the shop keeps it valid. */
const couponSchema = z
  .object({
    points: z.number().int().min(1).max(1_000_000),
    amount: z.number().int().min(1).max(10_000_000),
    validDays: z.number().int().min(1).max(3650),
  })
  .strict();
export type Coupon = z.infer<typeof couponSchema>;

const DEFAULT_COUPONS = '[{"points":500,"amount":500,"validDays":30},{"points":1000,"amount":1200,"validDays":30},{"points":2000,"amount":2500,"validDays":60}]';

/** The catalogue as JSON, each price once, cheapest first (at most 6: they are the dialog's buttons). */
const couponsFromJson = z
  .string()
  .default(DEFAULT_COUPONS)
  .transform((text, ctx): Coupon[] => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array such as [{"points":500,"amount":500,"validDays":30}]' });
      return z.NEVER;
    }
    const parsed = z.array(couponSchema).max(6).safeParse(raw);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ') });
      return z.NEVER;
    }
    const coupons = [...parsed.data].sort((a, b) => a.points - b.points);
    if (new Set(coupons.map((c) => c.points)).size !== coupons.length) {
      ctx.addIssue({ code: 'custom', message: 'each price in points at most once' });
      return z.NEVER;
    }
    return coupons;
  });

/** Configuration keys of loyalty: the demo shop's tiers (1 yuan spent = 1 point), points expiry, the coupons points buy. */
export const loyaltyConfigSchema = z.object({
  /** Points from which a member is gold. */
  LOYALTY_GOLD_POINTS: z.coerce.number().int().min(1).default(2000),
  /** Points from which a member is diamond; must be above LOYALTY_GOLD_POINTS. */
  LOYALTY_DIAMOND_POINTS: z.coerce.number().int().min(1).default(10000),
  /** Points earned more than this many months ago and not spent expire (first in, first out); 0 = never. */
  LOYALTY_POINTS_EXPIRE_MONTHS: z.coerce.number().int().min(0).max(120).default(24),
  /** When the expiry runs (node-cron, in TIMEZONE). */
  LOYALTY_EXPIRY_CRON: z.string().default('20 3 * * *'),
  /** The coupons points buy (JSON: points, amount in fen, validDays); [] = no redemption. */
  LOYALTY_COUPONS: couponsFromJson,
});
export type LoyaltyConfig = z.infer<typeof loyaltyConfigSchema>;
