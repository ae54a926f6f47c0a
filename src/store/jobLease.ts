import os from 'node:os';
import type { Prisma } from './records';
import { AppError } from '../errors';
import type { Db } from './db';

/**
 * A lease row (JobLease) that lets one instance at a time run a job, on SQLite and PostgreSQL alike:
 * taken when free or expired, renewed in each batch's transaction (which fails when another
 * instance took it over), released at the end. A crashed holder's lease expires after `seconds`.
 */
export class JobLeaseHolder {
  readonly holder = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;

  constructor(
    private readonly db: Db,
    private readonly name: string,
    private readonly seconds: number,
  ) {}

  private until(now: Date): Date {
    return new Date(now.getTime() + this.seconds * 1000);
  }

  /** True when this holder has the lease now. */
  async acquire(now: Date): Promise<boolean> {
    const { db, name } = this;
    if (!(await db.jobLease.findUnique({ where: { name } }))) {
      // Two instances may create it at once: the loser's unique violation is harmless.
      await db.jobLease.create({ data: { name } }).catch(() => undefined);
    }
    const taken = await db.jobLease.updateMany({
      where: { name, OR: [{ holder: null }, { leaseUntil: null }, { leaseUntil: { lt: now } }, { holder: this.holder }] },
      data: { holder: this.holder, leaseUntil: this.until(now) },
    });
    return taken.count === 1;
  }

  /** Extends the lease inside a batch's transaction; throws when another instance has it (the batch rolls back). */
  async renew(tx: Prisma.TransactionClient, now: Date): Promise<void> {
    const renewed = await tx.jobLease.updateMany({ where: { name: this.name, holder: this.holder }, data: { leaseUntil: this.until(now) } });
    if (renewed.count !== 1) throw new AppError('conflict', `the lease of ${this.name} was taken over by another instance`);
  }

  async release(): Promise<void> {
    await this.db.jobLease.updateMany({ where: { name: this.name, holder: this.holder }, data: { holder: null, leaseUntil: null } });
  }
}
