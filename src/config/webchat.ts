import { z } from 'zod';

/** Configuration keys of the web chat / Direct Line module (merged into the one config schema in config.ts). */
export const webchatConfigSchema = z.object({});
