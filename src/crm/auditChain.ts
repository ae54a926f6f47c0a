import crypto from 'node:crypto';
import type { Prisma } from '../store/records';
import type { Db } from '../store/db';

/** The chain's first prevHash (the head row the migration inserts). */
export const GENESIS_HASH = '0'.repeat(64);

const sha256 = (text: string): string => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** JSON with object keys sorted at every depth: the same value gives the same text on both stores (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The digest of a row's before / after that the chain covers (salted, so a masked row's digest cannot be tested against guesses). */
export function payloadDigest(salt: string, before: unknown, after: unknown): string {
  return sha256(`${salt}|${canonicalJson({ before: before ?? null, after: after ?? null })}`);
}

/** What a row's hash covers besides the previous hash. */
export interface ChainedContent {
  seq: number;
  id: string;
  createdAt: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string;
  reason: string | null;
  payloadHash: string;
}

export function rowHash(prevHash: string, row: ChainedContent): string {
  const content = [row.seq, row.id, row.createdAt.toISOString(), row.actorType, row.actorId, row.action, row.entity, row.entityId, row.reason, row.payloadHash];
  return sha256(`${prevHash}|${canonicalJson(content)}`);
}

/**
 * Links a new audit row into the chain inside the caller's transaction. The UPDATE of the one head
 * row takes its row lock (PostgreSQL) or happens under the one writer (SQLite): a concurrent writer
 * waits until this transaction ends and then reads the head it left, so the chain never forks.
 */
export async function chainLink(
  tx: Prisma.TransactionClient,
  row: Omit<ChainedContent, 'seq' | 'payloadHash'> & { before: unknown; after: unknown },
): Promise<{ seq: number; prevHash: string; hash: string; payloadHash: string; payloadSalt: string }> {
  const head = await tx.auditChainHead.update({ where: { id: 1 }, data: { seq: { increment: 1 } } });
  const payloadSalt = crypto.randomBytes(16).toString('hex');
  const payloadHash = payloadDigest(payloadSalt, row.before, row.after);
  const hash = rowHash(head.hash, { ...row, seq: head.seq, payloadHash });
  await tx.auditChainHead.update({ where: { id: 1 }, data: { hash } });
  return { seq: head.seq, prevHash: head.hash, hash, payloadHash, payloadSalt };
}

/** An AuditLog row as stored (live, or as archived in AuditLogArchive.row). */
export interface StoredAuditRow extends Omit<ChainedContent, 'seq' | 'payloadHash' | 'createdAt'> {
  seq: number | null;
  createdAt: Date | string;
  before: unknown;
  after: unknown;
  payloadHash: string | null;
  payloadSalt: string | null;
  maskedAt: Date | string | null;
  prevHash: string | null;
  hash: string | null;
}

export interface VerifyResult {
  ok: boolean;
  /** Rows checked in the chain (archived and live). */
  checked: number;
  /** Rows written before the chain existed (no seq): not covered. */
  unchained: number;
  /** Masked rows (payload erased by a deletion; their digest still chained). */
  masked: number;
  broken?: { seq: number | null; id: string; problem: string };
}

/** Checks one row against the previous hash; returns what is wrong with it, if anything. */
export function checkRow(prevHash: string, expectedSeq: number, row: StoredAuditRow): string | undefined {
  if (row.seq !== expectedSeq) return `expected seq ${expectedSeq}, found ${row.seq ?? 'none'} (a row is missing)`;
  if (!row.payloadHash || !row.hash) return 'the row has no hash';
  if (row.prevHash !== prevHash) return 'prevHash does not match the previous row';
  if (!row.maskedAt) {
    if (!row.payloadSalt || payloadDigest(row.payloadSalt, row.before, row.after) !== row.payloadHash) return 'before / after changed (payload digest differs)';
  }
  const content = { ...row, seq: row.seq, payloadHash: row.payloadHash, createdAt: new Date(row.createdAt) };
  if (rowHash(prevHash, content) !== row.hash) return 'the row changed (hash differs)';
  return undefined;
}

const PAGE = 500;

/**
 * Walks the chain from the genesis hash: the archived rows, then the live ones, in seq order, and
 * the head. Stops at the first broken row.
 */
export async function verifyAuditChain(db: Db): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expected = 1;
  let masked = 0;
  const step = (row: StoredAuditRow): VerifyResult['broken'] | undefined => {
    const problem = checkRow(prevHash, expected, row);
    if (problem) return { seq: row.seq, id: row.id, problem };
    if (row.maskedAt) masked++;
    prevHash = row.hash!;
    expected++;
    return undefined;
  };
  const result = (broken?: VerifyResult['broken']): Promise<VerifyResult> =>
    db.auditLog.count({ where: { seq: null } }).then((unchained) => ({ ok: !broken, checked: expected - 1, unchained, masked, ...(broken ? { broken } : {}) }));

  for (let after = 0; ; ) {
    const archived = await db.auditLogArchive.findMany({ where: { seq: { gt: after } }, orderBy: { seq: 'asc' }, take: PAGE });
    for (const a of archived) {
      const broken = step(a.row as unknown as StoredAuditRow);
      if (broken) return result(broken);
    }
    if (archived.length < PAGE) break;
    after = archived[archived.length - 1].seq ?? after;
  }
  for (let after = expected - 1; ; ) {
    const rows = await db.auditLog.findMany({ where: { seq: { gt: after } }, orderBy: { seq: 'asc' }, take: PAGE });
    for (const row of rows) {
      const broken = step(row);
      if (broken) return result(broken);
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1].seq!;
  }
  const head = await db.auditChainHead.findUnique({ where: { id: 1 } });
  if (!head || head.seq !== expected - 1 || head.hash !== prevHash) {
    return result({ seq: head?.seq ?? null, id: 'AuditChainHead', problem: `the head (seq ${head?.seq ?? 'none'}) does not match the last row (seq ${expected - 1}): rows were removed` });
  }
  return result();
}
