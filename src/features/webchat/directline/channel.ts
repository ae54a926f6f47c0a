/**
 * What the built-in Direct Line channel's activities look like to its clients. The conversations
 * and their activities live in the CRM store (log.ts): shared by every instance, kept across restarts.
 */

export interface ChannelAccount {
  id: string;
  name?: string;
  role?: string;
}

/** An activity's fields before the log gives it an id and a timestamp (unknown fields pass through). */
export interface ActivityFields {
  type: string;
  timestamp: string;
  channelId: string;
  conversation: { id: string };
  from: ChannelAccount;
  replyToId?: string;
  [key: string]: unknown;
}

/** An activity as the Direct Line client sees it. */
export interface DirectLineActivity extends ActivityFields {
  id: string;
}

export interface ActivitySet {
  activities: DirectLineActivity[];
  watermark?: string;
}

export const CHANNEL_ID = 'directline';

export function clientActivityIdOf(activity: object): string | undefined {
  const cd: unknown = (activity as { channelData?: unknown }).channelData;
  if (typeof cd === 'object' && cd !== null && 'clientActivityID' in cd) {
    const id = (cd as { clientActivityID?: unknown }).clientActivityID;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}

/** Runs work one at a time per key, in order (no two deliveries of one conversation race in this process). */
export class SerialQueues {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
