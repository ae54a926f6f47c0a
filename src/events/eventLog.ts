import type { Prisma } from '../store/records';
import { toJson } from '../store/json';
import { timeOrderedId } from '../store/ids';
import type { Provider } from '../store/db';

/** A domain event as it is recorded and delivered. */
export interface DomainEvent<P = unknown> {
  id: string;
  /** What happened: ticket.notice, ticket.sla_alert, conversation.status_changed, customer.updated... */
  type: string;
  /** What it is about, e.g. Ticket:<id>, Conversation:<id>: deliveries of one subject run in order. */
  subject: string;
  payload: P;
  createdAt: Date;
}

export interface NewEvent<P = unknown> {
  type: string;
  subject: string;
  payload: P;
}

/** A subscriber: handles one event; throwing means "try again later". It must be idempotent (it may see an event twice). */
export type EventHandler = (event: DomainEvent, delivery: { attempt: number }) => Promise<void>;

export interface Subscription {
  /** Unique and stable: deliveries are recorded under this name. */
  name: string;
  types: readonly string[];
  handle: EventHandler;
}

/** The broadcast topic on which a committed event wakes the dispatchers (every instance's). */
export const EVENTS_TOPIC = 'events';

/**
 * The outbox: an event is written in the same transaction as the change that causes it, with one
 * delivery row per subscriber of its type, so nothing is told before the change commits and nothing
 * is lost if the process dies after. The dispatcher (dispatcher.ts) delivers them.
 *
 * Subscribers register while the app is wired (before any event is recorded); an event recorded
 * with no subscriber is kept as history.
 */
export class EventLog {
  private readonly subscriptions = new Map<string, Subscription>();

  constructor(
    readonly provider: Provider,
    /** Called after record() (on SQLite the one dispatcher is woken this way). */
    private readonly onRecorded: () => void = () => undefined,
    /** PostgreSQL: wake every instance's dispatcher at commit with pg_notify (their broadcast listens to it). */
    private readonly notifyAtCommit = provider === 'postgresql',
  ) {}

  subscribe(subscription: Subscription): void {
    if (this.subscriptions.has(subscription.name)) throw new Error(`Event subscriber ${subscription.name} is registered twice`);
    this.subscriptions.set(subscription.name, subscription);
  }

  subscriber(name: string): Subscription | undefined {
    return this.subscriptions.get(name);
  }

  subscribersOf(type: string): Subscription[] {
    return [...this.subscriptions.values()].filter((s) => s.types.includes(type));
  }

  /** Records events inside the caller's transaction (they are delivered once it commits). */
  async record(tx: Prisma.TransactionClient, events: NewEvent[], now: Date = new Date()): Promise<string[]> {
    const ids: string[] = [];
    for (const event of events) {
      const id = timeOrderedId();
      ids.push(id);
      const subscribers = this.subscribersOf(event.type);
      await tx.domainEvent.create({
        data: {
          id,
          type: event.type,
          subject: event.subject,
          payload: toJson(event.payload),
          createdAt: now,
          deliveries: { create: subscribers.map((s) => ({ id: timeOrderedId(), subscriber: s.name, nextAttemptAt: now, createdAt: now })) },
        },
      });
    }
    if (events.length && this.notifyAtCommit) {
      // Delivered to every instance's listener when (and only if) the transaction commits.
      await tx.$queryRawUnsafe(`SELECT pg_notify('kefu', $1)::text AS "sent"`, JSON.stringify({ topic: EVENTS_TOPIC }));
    }
    if (events.length) this.onRecorded();
    return ids;
  }
}
