/**
 * The channel's memory: per conversation, a bounded log of the activities the client sees (the
 * customer's echoed messages and the bot's replies), a watermark, and the open streams to push to.
 * In memory on purpose: it only bridges a live chat; the CRM transcript is the durable record.
 */

export interface ChannelAccount {
  id: string;
  name?: string;
  role?: string;
}

/** An activity's fields before the log gives it an id (unknown fields pass through). */
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

/** Strictly increasing ISO timestamps (Web Chat orders activities by them). */
export class MonotonicClock {
  private last = 0;
  constructor(private readonly now: () => number = Date.now) {}
  next(): string {
    this.last = Math.max(this.now(), this.last + 1);
    return new Date(this.last).toISOString();
  }
}

export class ChannelConversation {
  /** The Direct Line user id the conversation's tokens carry. */
  userId: string;
  userName?: string;
  /** Set once the client called POST /conversations (the bot then got its conversationUpdate). */
  started = false;
  /** The shop customer id the conversation was linked to by a verified identity, if any. */
  externalId?: string;
  locale?: string;
  private readonly log: (DirectLineActivity & { seq: number })[] = [];
  private seq = 0;
  private readonly listeners = new Set<(set: ActivitySet) => void>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly id: string,
    userId: string,
    private readonly maxActivities: number,
  ) {
    this.userId = userId;
  }

  /** Appends an activity: gives it its id (`<conversation>|<seq>`), pushes it to open streams. */
  append(activity: ActivityFields): DirectLineActivity {
    const seq = ++this.seq;
    const stored = { ...activity, id: `${this.id}|${String(seq).padStart(7, '0')}`, seq };
    this.log.push(stored);
    if (this.log.length > this.maxActivities) this.log.splice(0, this.log.length - this.maxActivities);
    const visible = strip(stored);
    for (const listener of this.listeners) listener({ activities: [visible], watermark: String(seq) });
    return visible;
  }

  /** Activities after a watermark (all kept ones when the watermark is empty or unknown). */
  after(watermark: string | undefined): ActivitySet {
    let from = watermark && /^\d+$/.test(watermark) ? Number(watermark) : 0;
    // A watermark from before a restart (this log was revived empty): everything here is new to the client.
    if (from > this.seq) from = 0;
    const activities = this.log.filter((a) => a.seq > from).map(strip);
    return { activities, watermark: this.seq > 0 ? String(this.seq) : undefined };
  }

  /** Whether an activity with this id is (still) in the log. */
  has(id: string): boolean {
    return this.log.some((a) => a.id === id);
  }

  /** The customer's earlier post with this client activity id (a client retry), if still in the log. */
  findByClientActivityId(clientActivityId: string): DirectLineActivity | undefined {
    const found = this.log.find((a) => a.from.id === this.userId && clientActivityIdOf(a) === clientActivityId);
    return found && strip(found);
  }

  /** Subscribes to new activities; the backlog after the watermark is delivered first, in the same tick. */
  subscribe(watermark: string | undefined, listener: (set: ActivitySet) => void): () => void {
    const backlog = this.after(watermark);
    listener(backlog);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Runs deliveries to the bot one at a time, in order (no two turns of one conversation race). */
  serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function strip(a: DirectLineActivity & { seq?: number }): DirectLineActivity {
  const { seq: _seq, ...rest } = a;
  return rest;
}

export function clientActivityIdOf(activity: object): string | undefined {
  const cd: unknown = (activity as { channelData?: unknown }).channelData;
  if (typeof cd === 'object' && cd !== null && 'clientActivityID' in cd) {
    const id = (cd as { clientActivityID?: unknown }).clientActivityID;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}

/** Conversations in memory, least recently used dropped first (never one with an open stream, if avoidable). */
export class ConversationStore {
  private readonly conversations = new Map<string, ChannelConversation>();

  constructor(
    private readonly maxConversations: number,
    private readonly maxActivities: number,
  ) {}

  get(id: string): ChannelConversation | undefined {
    const found = this.conversations.get(id);
    if (found) {
      this.conversations.delete(id);
      this.conversations.set(id, found);
    }
    return found;
  }

  /** The conversation, created (empty) when unknown: a valid token outlives the process's memory. */
  getOrCreate(id: string, userId: string): ChannelConversation {
    const found = this.get(id);
    if (found) return found;
    const created = new ChannelConversation(id, userId, this.maxActivities);
    this.conversations.set(id, created);
    this.evict();
    return created;
  }

  get size(): number {
    return this.conversations.size;
  }

  all(): IterableIterator<ChannelConversation> {
    return this.conversations.values();
  }

  private evict(): void {
    if (this.conversations.size <= this.maxConversations) return;
    let victim: string | undefined;
    for (const [id, c] of this.conversations) {
      if (c.listenerCount === 0) {
        victim = id;
        break;
      }
    }
    victim ??= this.conversations.keys().next().value;
    if (victim !== undefined) this.conversations.delete(victim);
  }
}
