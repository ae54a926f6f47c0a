import { ActivityTypes, type Activity } from 'botbuilder';

/**
 * Multi-line replies as the customer should read them. Web Chat (and Teams, and most Bot Framework
 * channels) render a message's text as Markdown, where a single "\n" is a space: the order status,
 * the ticket list, the profile and the points ran together on one line. A line break becomes a
 * Markdown hard break (two spaces before the newline); blank lines (paragraphs) stay as they are.
 */
export function withMarkdownLineBreaks(text: string): string {
  return text.replace(/[ \t]*(?<!\n)\n(?!\n)/g, '  \n');
}

/** Applies withMarkdownLineBreaks to an outgoing message (plain-text messages are left alone). */
export function renderLineBreaks(activity: Partial<Activity>): void {
  if (activity.type !== ActivityTypes.Message || typeof activity.text !== 'string' || activity.textFormat === 'plain') return;
  if (!activity.text.includes('\n')) return;
  activity.text = withMarkdownLineBreaks(activity.text);
  activity.textFormat ??= 'markdown';
}
