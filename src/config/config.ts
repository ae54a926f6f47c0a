import type { z } from 'zod';
import { handoffConfigSchema } from '../features/handoff/config';
import { loyaltyConfigSchema } from '../features/loyalty/config';
import { privacyConfigSchema } from '../features/privacy/config';
import { ordersConfigSchema } from '../features/orders/config';
import { returnsConfigSchema } from '../features/returns/config';
import { segmentsConfigSchema } from '../features/segments/config';
import { shopConfigSchema } from '../features/shop/config';
import { surveysConfigSchema } from '../features/surveys/config';
import { ticketsConfigSchema } from '../features/tickets/config';
import { webchatConfigSchema } from '../features/webchat/config';
import { staffConfigSchema } from '../staff/config';
import { baseConfigSchema, parseEnv } from './schema';

/**
 * Kefu's configuration: one schema over the environment, parsed once at start-up: the kernel's keys
 * (schema.ts) plus each feature's own (src/features/<feature>/config.ts). Every key is documented in
 * .env.example with its env name and default.
 */
export const configSchema = baseConfigSchema
  .extend(ticketsConfigSchema.shape)
  .extend(webchatConfigSchema.shape)
  .extend(ordersConfigSchema.shape)
  .extend(returnsConfigSchema.shape)
  .extend(loyaltyConfigSchema.shape)
  .extend(staffConfigSchema.shape)
  .extend(handoffConfigSchema.shape)
  .extend(surveysConfigSchema.shape)
  .extend(shopConfigSchema.shape)
  .extend(privacyConfigSchema.shape)
  .extend(segmentsConfigSchema.shape);

export type Config = z.infer<typeof configSchema>;

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(configSchema, env);
}
