import { z } from 'zod';

/** Configuration keys of loyalty: the demo shop's tiers (1 yuan spent = 1 point). */
export const loyaltyConfigSchema = z.object({
  /** Points from which a member is gold. */
  LOYALTY_GOLD_POINTS: z.coerce.number().int().min(1).default(2000),
  /** Points from which a member is diamond; must be above LOYALTY_GOLD_POINTS. */
  LOYALTY_DIAMOND_POINTS: z.coerce.number().int().min(1).default(10000),
});
export type LoyaltyConfig = z.infer<typeof loyaltyConfigSchema>;
