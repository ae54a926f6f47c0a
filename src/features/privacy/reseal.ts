import type { Store } from '../../store/db';
import { SEALED_PREFIX } from '../../store/fieldCrypto';
import { blindIndexOf, SEALED_FIELDS } from '../../store/sealedFields';

/**
 * Seals what is not sealed with the current key: clear rows from before the encryption (`npm run
 * data:encrypt`, and once at start-up when the migration that brought it is applied) and rows sealed
 * with an older key (`npm run keys:rotate`). The same pass for both: it walks each table in key
 * order, a batch at a time, and rewrites only values that need it, each with a statement that
 * changes the row only if the value is still the one read (a turn writing meanwhile wins). So it is
 * idempotent and resumable: stopped anywhere, the next run finds what is left.
 */
/** The migration that added sealed fields: when the start-up applies it, the rows stored before are sealed at once. */
export const SEALING_MIGRATION = '_personal_data_sealed';

interface Table {
  table: string;
  /** The primary key's columns (walked in this order). */
  key: string[];
  fields: string[];
  /** Blind indexes: field → its index column. */
  indexes?: Record<string, { column: string; kind: 'phone' | 'email' }>;
}

const TABLES: Table[] = [
  { table: 'Customer', key: ['id'], fields: [...SEALED_FIELDS.Customer], indexes: { phone: { column: 'phoneIndex', kind: 'phone' }, email: { column: 'emailIndex', kind: 'email' } } },
  { table: 'Order', key: ['id'], fields: [...SEALED_FIELDS.Order] },
  { table: 'Message', key: ['id'], fields: [...SEALED_FIELDS.Message] },
  { table: 'Ticket', key: ['id'], fields: [...SEALED_FIELDS.Ticket] },
  { table: 'DirectLineActivity', key: ['conversationId', 'seq'], fields: [...SEALED_FIELDS.DirectLineActivity] },
  // Sealed by the turn store (src/store/sealedTurnStore.ts), not a Prisma field.
  { table: 'BotState', key: ['key'], fields: ['data'] },
];

export interface ResealOptions {
  /** Rows read per batch (each value rewritten in its own statement). */
  batch?: number;
  /** Recompute every blind index (after KEFU_INDEX_KEY changed). */
  reindex?: boolean;
  /** Called after each batch with the table and the values rewritten so far. */
  progress?: (table: string, rewritten: number) => void;
}

type Row = Record<string, unknown>;
const q = (name: string) => `"${name}"`;

/** `?` placeholders as the provider wants them. */
function sql(store: Pick<Store, 'provider'>, text: string): string {
  let n = 0;
  return store.provider === 'postgresql' ? text.replace(/\?/g, () => `$${++n}`) : text;
}

/** Rewrites what is not sealed with the current key; returns the values rewritten per table. */
export async function resealAll(store: Pick<Store, 'db' | 'provider' | 'cipher'>, options: ResealOptions = {}): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table.table] = await resealTable(store, table, options);
  return counts;
}

async function resealTable(store: Pick<Store, 'db' | 'provider' | 'cipher'>, t: Table, options: ResealOptions): Promise<number> {
  const { cipher } = store;
  const current = `${SEALED_PREFIX}${cipher.ring.currentId}:`;
  const stale = t.fields.map((f) => `(${q(f)} IS NOT NULL AND substr(${q(f)}, 1, ${current.length}) <> ?)`);
  const staleArgs: unknown[] = t.fields.map(() => current);
  const unindexed = Object.entries(t.indexes ?? {}).map(([f, ix]) => (options.reindex ? `${q(f)} IS NOT NULL` : `(${q(f)} IS NOT NULL AND ${q(ix.column)} IS NULL)`));
  const columns = [...t.key, ...t.fields, ...Object.values(t.indexes ?? {}).map((ix) => ix.column)].map(q).join(', ');
  const keyList = `(${t.key.map(q).join(', ')})`;
  let cursor: unknown[] | undefined;
  let rewritten = 0;
  for (;;) {
    const after = cursor ? `${keyList} > (${t.key.map(() => '?').join(', ')}) AND ` : '';
    const rows = await store.db.$queryRawUnsafe<Row[]>(
      sql(store, `SELECT ${columns} FROM ${q(t.table)} WHERE ${after}(${[...stale, ...unindexed].join(' OR ')}) ORDER BY ${t.key.map(q).join(', ')} LIMIT ${options.batch ?? 200}`),
      ...(cursor ?? []),
      ...staleArgs,
    );
    if (!rows.length) return rewritten;
    for (const row of rows) rewritten += await resealRow(store, t, row, current, options.reindex === true);
    const last = rows[rows.length - 1];
    cursor = t.key.map((k) => (typeof last[k] === 'bigint' ? Number(last[k]) : last[k]));
    options.progress?.(t.table, rewritten);
  }
}

async function resealRow(store: Pick<Store, 'db' | 'provider' | 'cipher'>, t: Table, row: Row, current: string, reindex: boolean): Promise<number> {
  const { cipher } = store;
  const where = t.key.map((k) => `${q(k)} = ?`).join(' AND ');
  const keyArgs = t.key.map((k) => (typeof row[k] === 'bigint' ? Number(row[k]) : row[k]));
  let rewritten = 0;
  for (const field of t.fields) {
    const stored = row[field];
    if (typeof stored !== 'string') continue;
    const index = t.indexes?.[field];
    const needsSeal = !stored.startsWith(current);
    const needsIndex = index !== undefined && (reindex || row[index.column] === null || row[index.column] === undefined);
    if (!needsSeal && !needsIndex) continue;
    const clear = cipher.open(stored);
    const sets = [`${q(field)} = ?`];
    const args: unknown[] = [needsSeal ? cipher.seal(clear) : stored];
    if (index && (needsSeal || needsIndex)) {
      sets.push(`${q(index.column)} = ?`);
      args.push(blindIndexOf(cipher, index.kind, clear));
    }
    rewritten += Number(await store.db.$executeRawUnsafe(sql(store, `UPDATE ${q(t.table)} SET ${sets.join(', ')} WHERE ${where} AND ${q(field)} = ?`), ...args, ...keyArgs, stored));
  }
  return rewritten;
}

/** How many values are not sealed with the current key, per table (what `keys:rotate --check` prints). */
export async function staleCounts(store: Pick<Store, 'db' | 'provider' | 'cipher'>): Promise<Record<string, number>> {
  const current = `${SEALED_PREFIX}${store.cipher.ring.currentId}:`;
  const counts: Record<string, number> = {};
  for (const t of TABLES) {
    const stale = t.fields.map((f) => `(${q(f)} IS NOT NULL AND substr(${q(f)}, 1, ${current.length}) <> ?)`).join(' OR ');
    const rows = await store.db.$queryRawUnsafe<{ n: number | bigint }[]>(sql(store, `SELECT COUNT(*) AS "n" FROM ${q(t.table)} WHERE ${stale}`), ...t.fields.map(() => current));
    counts[t.table] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}
