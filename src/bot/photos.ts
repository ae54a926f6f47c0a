import type { Activity } from 'botbuilder';

/**
 * The photos a customer sent with a message: image attachments' web addresses. Only http(s): a
 * javascript: or data: "photo" must never reach a ticket an agent opens.
 */
export function photoUrls(activity: Partial<Activity>): string[] {
  return (activity.attachments ?? [])
    .filter((a) => (a.contentType ?? '').startsWith('image/') && typeof a.contentUrl === 'string' && /^https?:\/\/[^\s]+$/i.test(a.contentUrl))
    .map((a) => a.contentUrl as string);
}
