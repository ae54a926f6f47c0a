import { AppError } from '../../errors';
import { JobLeaseHolder } from '../../store/jobLease';
import type { Db } from '../../store/db';
import type { HandoffConfig } from './config';
import type { HandoffDesk } from './desk';
import type { HandoffRow } from './types';

/** The job's name, and its lease's: one instance a minute scans the live chats. */
export const IDLE_JOB = 'handoff.idle';
const LEASE_SECONDS = 50;
const MINUTE = 60_000;

export interface IdleDeps {
  db: Db;
  desk: HandoffDesk;
  config: Pick<HandoffConfig, 'HANDOFF_IDLE_MINUTES' | 'HANDOFF_IDLE_WARN_MINUTES'>;
}

/**
 * A customer who stops writing in a live chat: warned HANDOFF_IDLE_WARN_MINUTES before the end, in
 * their language; the chat ends (reason idle, the same end as an agent's: back to the bot,
 * handoff.ended) once HANDOFF_IDLE_MINUTES passed since their last message (or the accept) and the
 * warning is that old. Their next message clears the warning (owners.ts). Run every minute by one
 * instance (a lease); each warning is claimed on its row, each end is a versioned move, so a second
 * run never warns or ends twice.
 */
export class IdleWatch {
  private readonly lease: JobLeaseHolder;

  constructor(readonly deps: IdleDeps) {
    this.lease = new JobLeaseHolder(deps.db, IDLE_JOB, LEASE_SECONDS);
  }

  private get idleMs(): number {
    return this.deps.config.HANDOFF_IDLE_MINUTES * MINUTE;
  }

  /** The warning comes this long before the end (never before the chat's first idle minute). */
  private get warnMs(): number {
    return Math.min(this.deps.config.HANDOFF_IDLE_WARN_MINUTES, this.deps.config.HANDOFF_IDLE_MINUTES - 1) * MINUTE;
  }

  /** Warns and ends what is due now; null when another instance holds the job this minute. */
  async run(now: Date): Promise<{ warned: number; ended: number } | null> {
    if (!(await this.lease.acquire(now))) return null;
    const quietSince = new Date(now.getTime() - (this.idleMs - this.warnMs));
    const idle = await this.deps.db.handoff.findMany({
      where: { status: 'ACTIVE', queue: { not: 'external' }, OR: [{ customerAt: { lt: quietSince } }, { customerAt: null, acceptedAt: { lt: quietSince } }] },
      orderBy: { acceptedAt: 'asc' },
      take: 200,
    });
    let warned = 0;
    let ended = 0;
    for (const handoff of idle) {
      if (!handoff.idleWarnedAt) {
        if (await this.warn(handoff, now)) warned++;
      } else if (now.getTime() - handoff.idleWarnedAt.getTime() >= this.warnMs && now.getTime() - this.since(handoff) >= this.idleMs) {
        if (await this.end(handoff)) ended++;
      }
    }
    return { warned, ended };
  }

  private since(handoff: HandoffRow): number {
    return (handoff.customerAt ?? handoff.acceptedAt ?? handoff.requestedAt).getTime();
  }

  /** Claims the warning on the row (unless the customer wrote meanwhile), then tells the customer. */
  private async warn(handoff: HandoffRow, now: Date): Promise<boolean> {
    const { count } = await this.deps.db.handoff.updateMany({
      where: { id: handoff.id, status: 'ACTIVE', idleWarnedAt: null, customerAt: handoff.customerAt },
      data: { idleWarnedAt: now },
    });
    if (count !== 1) return false;
    await this.deps.desk.notify(handoff, 'handoff.customer.idleWarning', { minutes: Math.max(1, Math.round(this.warnMs / MINUTE)) });
    return true;
  }

  private async end(handoff: HandoffRow): Promise<boolean> {
    const fresh = await this.deps.desk.get(handoff.id);
    if (!fresh.idleWarnedAt || fresh.customerAt?.getTime() !== handoff.customerAt?.getTime()) return false; // the customer wrote
    try {
      await this.deps.desk.end(handoff.id, {}, 'idle');
      return true;
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') return false; // ended, moved or answered meanwhile
      throw err;
    }
  }
}
