import type { Prisma } from '../store/records';
import { timeOrderedId } from '../store/ids';
import { toJson } from '../store/json';
import { chainLink } from './auditChain';
import { maskPersonalFields } from './masking';

export type ActorType = 'customer' | 'agent' | 'bot' | 'system';

export interface Actor {
  type: ActorType;
  id?: string | null;
}

export interface AuditEntry {
  actor: Actor;
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
  /** When it happened (default: now); a data import or a test may date it. */
  at?: Date;
}

/**
 * Writes an AuditLog row inside the caller's transaction, so the change and its record land together.
 * The row is linked into the hash chain (src/crm/auditChain.ts); the database refuses to change or
 * delete it afterwards (triggers of migration audit_chain_approvals).
 */
export async function writeAudit(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  const before = auditPayload(entry.before);
  const after = auditPayload(entry.after);
  const row = {
    id: timeOrderedId(),
    createdAt: entry.at ?? new Date(),
    actorType: entry.actor.type,
    actorId: entry.actor.id ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    reason: entry.reason ?? null,
  };
  const link = await chainLink(tx, { ...row, before: before ?? null, after: after ?? null });
  await tx.auditLog.create({ data: { ...row, before, after, ...link } });
}

/** A before/after payload as the audit log keeps it: personal fields masked (the log is kept for years, in clear). */
function auditPayload(value: unknown) {
  return value === undefined ? undefined : toJson(maskPersonalFields(value));
}
