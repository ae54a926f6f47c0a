import type { Db } from '../store/db';
import { toJson } from '../store/json';

/** The shortest retention the audit log may have (CRM process regulation: at least one year); the database triggers enforce it too. */
export const MIN_AUDIT_RETENTION_DAYS = 365;

const BATCH = 500;

/**
 * The retention archive: moves AuditLog rows older than `retentionDays` (never less than 365) to
 * AuditLogArchive, whole, in seq order, so `audit:verify` still walks one chain. The database lets a
 * DELETE through only for rows older than 365 days and older than the gate row this transaction
 * writes first and removes again (no other transaction ever sees it open; a second archiver waits on
 * its key, so two instances move each row once). Returns the rows moved.
 */
export async function archiveAuditLog(db: Db, options: { retentionDays: number; now: Date }): Promise<number> {
  if (!(options.retentionDays >= MIN_AUDIT_RETENTION_DAYS)) throw new Error(`the audit log is kept at least ${MIN_AUDIT_RETENTION_DAYS} days (asked: ${options.retentionDays})`);
  const before = new Date(options.now.getTime() - options.retentionDays * 86_400_000);
  let moved = 0;
  for (;;) {
    const count = await db.$transaction(async (tx) => {
      // The gate first: a second archiver (another instance) waits on its key until this one commits,
      // and then reads the rows that are left.
      await tx.auditArchiveGate.create({ data: { id: 1, before } });
      const rows = await tx.auditLog.findMany({ where: { createdAt: { lt: before } }, orderBy: [{ seq: 'asc' }, { createdAt: 'asc' }], take: BATCH });
      if (rows.length === 0) {
        await tx.auditArchiveGate.delete({ where: { id: 1 } });
        return 0;
      }
      await tx.auditLogArchive.createMany({ data: rows.map((row) => ({ id: row.id, seq: row.seq, createdAt: row.createdAt, row: toJson(row), archivedAt: options.now })) });
      await tx.auditLog.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
      await tx.auditArchiveGate.delete({ where: { id: 1 } });
      return rows.length;
    });
    moved += count;
    if (count < BATCH) return moved;
  }
}
