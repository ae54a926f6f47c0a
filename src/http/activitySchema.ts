import { z } from 'zod';
import { parseInstant, text } from './validation';

const account = z.object({ id: text(256).pipe(z.string().min(1)), name: text(256).optional().nullable() }).passthrough();

/** An ISO 8601 time with its offset, in the years the stores hold (a year-0000 timestamp failed the turn). */
const time = z.string().datetime({ offset: true }).refine((s) => parseInstant(s) !== undefined, { message: 'expected a time in the years 1970-9999' });

/**
 * The shape an inbound Bot Framework activity must have before it reaches the adapter (the adapter
 * itself answers a malformed body with a 500). Unknown fields pass through untouched.
 */
export const inboundActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: text(256).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.string().url().max(2048),
    conversation: z.object({ id: text(512).pipe(z.string().min(1)) }).passthrough(),
    from: account,
    recipient: account.optional(),
    text: text(20_000).optional().nullable(),
    replyToId: text(256).optional().nullable(),
    locale: z.string().max(32).optional().nullable(),
    timestamp: time.optional(),
    localTimestamp: time.optional().nullable(),
    attachments: z.array(z.object({ contentType: z.string().max(256) }).passthrough()).max(20).optional().nullable(),
    deliveryMode: z.enum(['normal', 'notification', 'expectReplies', 'ephemeral']).optional(),
  })
  .passthrough();

export type InboundActivity = z.infer<typeof inboundActivitySchema>;

/** A one-line reason naming the first bad fields, for the 400 answer. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
    .join('; ');
}
