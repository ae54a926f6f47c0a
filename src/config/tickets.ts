import { z } from 'zod';

/** Configuration keys of the tickets module (merged into the one config schema in config.ts). */
export const ticketsConfigSchema = z.object({});
