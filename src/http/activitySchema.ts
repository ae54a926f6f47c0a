import { z } from 'zod';

const account = z.object({ id: z.string().min(1).max(256), name: z.string().max(256).optional().nullable() }).passthrough();

/**
 * The shape an inbound Bot Framework activity must have before it reaches the adapter (the adapter
 * itself answers a malformed body with a 500). Unknown fields pass through untouched.
 */
export const inboundActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(256).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.string().url().max(2048),
    conversation: z.object({ id: z.string().min(1).max(512) }).passthrough(),
    from: account,
    recipient: account.optional(),
    text: z.string().max(20_000).optional().nullable(),
    locale: z.string().max(32).optional().nullable(),
    timestamp: z.string().datetime({ offset: true }).optional(),
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
