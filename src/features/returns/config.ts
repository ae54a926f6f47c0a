import { z } from 'zod';

/** Configuration keys of returns and exchanges (the service handbook's rules are the defaults). */
export const returnsConfigSchema = z.object({
  /** Days after delivery within which an item may be returned or exchanged. */
  RETURN_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  /** Return shipping the customer pays after a change of mind, in yuan (quality problems are free). */
  RETURN_SHIPPING_FEE_YUAN: z.coerce.number().min(0).max(10_000).default(10),
});
export type ReturnsConfig = z.infer<typeof returnsConfigSchema>;
