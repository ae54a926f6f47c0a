import type { Prisma } from '../../generated/sqlite/client';
import { toJson } from '../store/json';
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
}

/** Writes an AuditLog row inside the caller's transaction, so the change and its record land together. */
export async function writeAudit(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorType: entry.actor.type,
      actorId: entry.actor.id ?? null,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId,
      before: auditPayload(entry.before),
      after: auditPayload(entry.after),
      reason: entry.reason ?? null,
    },
  });
}

/** A before/after payload as the audit log keeps it: personal fields masked (the log is kept for years, in clear). */
function auditPayload(value: unknown) {
  return value === undefined ? undefined : toJson(maskPersonalFields(value));
}
