import type { Db } from '../store/db';

/** A delivery given up after its attempts, as an operator sees it. */
export interface DeadDelivery {
  id: string;
  eventId: string;
  type: string;
  subject: string;
  subscriber: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The dead letters of the event log: the deliveries the dispatcher gave up (status DEAD, after
 * EVENTS_MAX_ATTEMPTS), to list and, once the cause is fixed, to send again. A retried delivery
 * starts over with its attempts at zero and is taken by the next dispatcher round of any instance.
 */
export class DeadLetters {
  constructor(private readonly db: Db) {}

  async list(limit = 100): Promise<DeadDelivery[]> {
    const rows = await this.db.eventDelivery.findMany({
      where: { status: 'DEAD' },
      orderBy: { updatedAt: 'desc' },
      take: limit,
      include: { event: { select: { type: true, subject: true } } },
    });
    return rows.map((r) => ({
      id: r.id,
      eventId: r.eventId,
      type: r.event.type,
      subject: r.event.subject,
      subscriber: r.subscriber,
      attempts: r.attempts,
      lastError: r.lastError,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    }));
  }

  async count(): Promise<number> {
    return this.db.eventDelivery.count({ where: { status: 'DEAD' } });
  }

  /** Sends the given dead deliveries again (all of them when `ids` is 'all'); returns how many. Ids that are not dead are left alone. */
  async retry(ids: string[] | 'all', now: Date): Promise<number> {
    const { count } = await this.db.eventDelivery.updateMany({
      where: { status: 'DEAD', ...(ids === 'all' ? {} : { id: { in: ids } }) },
      data: { status: 'PENDING', attempts: 0, nextAttemptAt: now, leaseUntil: null, leasedBy: null },
    });
    return count;
  }
}
