import os from 'node:os';
import type { Logger } from '../logger';
import type { Db, Provider } from '../store/db';
import { EVENTS_TOPIC, type DomainEvent, type EventLog } from './eventLog';
import { RECONNECTED_TOPIC, type Broadcast } from './broadcast';

export interface DispatcherOptions {
  /** Most deliveries taken per round. */
  batch?: number;
  /** How long a taken delivery is ours; after that another instance may take it (ours died). */
  leaseMs?: number;
  /** How often to look for due deliveries (retries, and what a missed wake-up left). */
  pollMs?: number;
  /** Attempts before a delivery is given up (DEAD, visible to operators). */
  maxAttempts?: number;
  clock?: () => Date;
}

interface Claimed {
  id: string;
  eventId: string;
  subscriber: string;
  attempts: number;
}

/** Backoff before the next attempt: 1 s, 2 s, 4 s ... up to 10 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 600_000);
}

/**
 * Delivers recorded events to their subscribers, at least once each: it takes due deliveries with a
 * lease (PostgreSQL: FOR UPDATE SKIP LOCKED, so several instances never take the same one), runs
 * each subscriber, and marks the delivery DONE, or schedules a retry with backoff, or after
 * maxAttempts marks it DEAD. Deliveries of one subject to one subscriber run in order. A process
 * that dies mid-delivery leaves a lease that runs out: the delivery is taken again.
 */
export class EventDispatcher {
  private readonly instance = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private readonly batch: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly clock: () => Date;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private closing = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly deps: { db: Db; provider: Provider; events: EventLog; broadcast: Broadcast; logger: Logger },
    options: DispatcherOptions = {},
  ) {
    this.batch = options.batch ?? 50;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 2000;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.clock = options.clock ?? (() => new Date());
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe.push(this.deps.broadcast.subscribe(EVENTS_TOPIC, () => this.wake()));
    this.unsubscribe.push(this.deps.broadcast.subscribe(RECONNECTED_TOPIC, () => this.wake()));
    this.schedule();
    this.wake();
  }

  /** Looks for due deliveries now (after a commit that recorded events). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.rounds().then(
      () => {
        this.running = undefined;
      },
      () => {
        this.running = undefined;
      },
    );
  }

  /** Waits for the rounds under way, then runs rounds until nothing is due (tests and tools call it). */
  async runUntilIdle(): Promise<number> {
    await this.running;
    return this.rounds();
  }

  private async rounds(): Promise<number> {
    let total = 0;
    do {
      this.again = false;
      const n = await this.round().catch((err: unknown) => {
        this.deps.logger.error({ err }, 'event dispatch failed');
        return 0;
      });
      total += n;
      if (n >= this.batch) this.again = true;
    } while (this.again && !this.closing);
    return total;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.wake();
      if (!this.stopped) this.schedule();
    }, this.pollMs);
    this.timer.unref();
  }

  /** One round: take due deliveries, deliver them, record the outcome. Returns how many were taken. */
  async round(): Promise<number> {
    const claimed = await this.claim();
    if (claimed.length === 0) return 0;
    const events = await this.deps.db.domainEvent.findMany({ where: { id: { in: [...new Set(claimed.map((c) => c.eventId))] } } });
    const byId = new Map(events.map((e) => [e.id, { ...e, payload: e.payload as unknown } satisfies DomainEvent]));
    // In order within (subscriber, subject); the groups in parallel.
    const groups = new Map<string, Claimed[]>();
    for (const c of claimed) {
      const subject = byId.get(c.eventId)?.subject ?? '';
      const key = `${c.subscriber}\u0000${subject}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    await Promise.all([...groups.values()].map(async (group) => {
      for (const c of group.sort((a, b) => a.eventId.localeCompare(b.eventId))) await this.deliver(c, byId.get(c.eventId));
    }));
    return claimed.length;
  }

  private async deliver(c: Claimed, event: DomainEvent | undefined): Promise<void> {
    const subscription = this.deps.events.subscriber(c.subscriber);
    let error: string | undefined;
    if (!event) error = 'the event row is gone';
    else if (!subscription) error = `no subscriber ${c.subscriber} in this instance`;
    else {
      try {
        await subscription.handle(event, { attempt: c.attempts });
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
    }
    const now = this.clock();
    if (error === undefined) {
      await this.deps.db.eventDelivery.update({ where: { id: c.id }, data: { status: 'DONE', deliveredAt: now, leaseUntil: null, leasedBy: null, lastError: null } });
      return;
    }
    const dead = c.attempts >= this.maxAttempts;
    const log = { deliveryId: c.id, eventId: c.eventId, type: event?.type, subscriber: c.subscriber, attempts: c.attempts, error };
    if (dead) this.deps.logger.error(log, 'event delivery given up (DEAD): an operator can retry it');
    else this.deps.logger.warn(log, 'event delivery failed: will retry');
    await this.deps.db.eventDelivery.update({
      where: { id: c.id },
      data: {
        status: dead ? 'DEAD' : 'PENDING',
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(c.attempts)),
        leaseUntil: null,
        leasedBy: null,
        lastError: error.slice(0, 2000),
      },
    });
  }

  /** Takes up to `batch` due deliveries for this instance (attempts counted when taken). */
  private async claim(): Promise<Claimed[]> {
    const now = this.clock();
    const until = new Date(now.getTime() + this.leaseMs);
    if (this.deps.provider === 'postgresql') {
      return this.deps.db.$queryRawUnsafe<Claimed[]>(
        `UPDATE "EventDelivery" d SET "leaseUntil" = $1, "leasedBy" = $2, "attempts" = d."attempts" + 1, "updatedAt" = $3
         FROM (SELECT "id" FROM "EventDelivery"
               WHERE "status" = 'PENDING' AND "nextAttemptAt" <= $3 AND ("leaseUntil" IS NULL OR "leaseUntil" < $3)
               ORDER BY "nextAttemptAt", "id" LIMIT $4 FOR UPDATE SKIP LOCKED) due
         WHERE d."id" = due."id"
         RETURNING d."id", d."eventId", d."subscriber", d."attempts"`,
        until,
        this.instance,
        now,
        this.batch,
      );
    }
    // SQLite: one writer, so the UPDATE ... RETURNING is atomic on its own.
    const rows = await this.deps.db.$queryRawUnsafe<Claimed[]>(
      `UPDATE "EventDelivery" SET "leaseUntil" = ?, "leasedBy" = ?, "attempts" = "attempts" + 1, "updatedAt" = ?
       WHERE "id" IN (SELECT "id" FROM "EventDelivery"
                      WHERE "status" = 'PENDING' AND "nextAttemptAt" <= ? AND ("leaseUntil" IS NULL OR "leaseUntil" < ?)
                      ORDER BY "nextAttemptAt", "id" LIMIT ?)
       RETURNING "id", "eventId", "subscriber", "attempts"`,
      until,
      this.instance,
      now,
      now,
      now,
      this.batch,
    );
    return rows.map((r) => ({ ...r, attempts: Number(r.attempts) }));
  }

  /** Stops taking deliveries and waits for the round under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    for (const off of this.unsubscribe.splice(0)) off();
    await this.running;
  }
}
