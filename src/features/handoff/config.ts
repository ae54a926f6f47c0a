import { z } from 'zod';

/** Live handoff to agents (merged into the one config schema in src/config/config.ts). */
export const handoffConfigSchema = z.object({
  /** builtin: Kefu's own queue and agent console; external: emit the Bot Framework handoff.initiate event for a contact centre. */
  HANDOFF_MODE: z.enum(['builtin', 'external']).default('builtin'),
  /** Longest wait in the queue, in minutes: past it the request becomes a ticket. */
  HANDOFF_MAX_WAIT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Handle time assumed for the wait estimate until there are ended chats to measure, in minutes. */
  HANDOFF_DEFAULT_HANDLE_MINUTES: z.coerce.number().int().min(1).max(240).default(6),
  /** A live chat ends (back to the bot) when the customer has not written for this long, in minutes. */
  HANDOFF_IDLE_MINUTES: z.coerce.number().int().min(2).max(24 * 60).default(10),
  /** The idle customer is warned this many minutes before the end (at most HANDOFF_IDLE_MINUTES - 1). */
  HANDOFF_IDLE_WARN_MINUTES: z.coerce.number().int().min(1).max(60).default(2),
  /** Chats an agent takes at once unless their presence says otherwise. */
  HANDOFF_AGENT_CAPACITY: z.coerce.number().int().min(1).max(20).default(3),
});

export type HandoffConfig = z.infer<typeof handoffConfigSchema>;
