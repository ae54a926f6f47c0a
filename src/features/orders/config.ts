import { z } from 'zod';

/** Configuration keys of the orders feature (merged into the one schema in src/config/config.ts). */
export const ordersConfigSchema = z.object({
  /** Days from shipment to the expected delivery the chat tells the customer. */
  DELIVERY_ESTIMATE_DAYS: z.coerce.number().int().min(1).max(60).default(3),
  /** How many recent orders the chat offers to pick from. */
  ORDER_PICK_LIMIT: z.coerce.number().int().min(1).max(10).default(5),
});
export type OrdersConfig = z.infer<typeof ordersConfigSchema>;
