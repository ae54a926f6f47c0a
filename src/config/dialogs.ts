import { z } from 'zod';

/**
 * Configuration keys of the first-line dialogs (merged into the one config schema in config.ts).
 * The defaults are the service handbook's rules and the demo shop's loyalty tiers.
 */
export const dialogsConfigSchema = z.object({
  /** Points (1 yuan spent = 1 point) from which a member is gold. */
  LOYALTY_GOLD_POINTS: z.coerce.number().int().min(1).default(2000),
  /** Points from which a member is diamond; must be above LOYALTY_GOLD_POINTS. */
  LOYALTY_DIAMOND_POINTS: z.coerce.number().int().min(1).default(10000),
  /** Days after delivery within which an item may be returned or exchanged. */
  RETURN_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  /** Return shipping the customer pays after a change of mind, in yuan (quality problems are free). */
  RETURN_SHIPPING_FEE_YUAN: z.coerce.number().min(0).max(10_000).default(10),
  /** Days from shipment to the expected delivery the chat tells the customer. */
  DELIVERY_ESTIMATE_DAYS: z.coerce.number().int().min(1).max(60).default(3),
  /** How many recent orders the chat offers to pick from. */
  ORDER_PICK_LIMIT: z.coerce.number().int().min(1).max(10).default(5),
  /** Where a customer signs in to the shop (shown when the chat does not know who they are). */
  SHOP_SIGN_IN_URL: z.string().url().default('https://shop.example.com/login'),
});
