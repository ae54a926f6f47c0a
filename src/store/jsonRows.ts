import type { Provider } from './connection';

/**
 * Set-based statements over many rows with one JSON array parameter: one statement and one parameter
 * whatever the number of rows (PostgreSQL: jsonb_to_recordset; SQLite: json_each). Much faster than
 * a statement, or a parameter, per value. Values in the JSON: times from `jsonTime`, booleans as
 * JSON booleans, enums as their text.
 */
export type ColumnType = 'text' | 'int' | 'time' | 'bool' | `enum:${string}`;
export type Column = readonly [name: string, type: ColumnType];

/** A time as the store keeps it, for a JSON parameter (SQLite: ISO text with +00:00, as Prisma writes it). */
export function jsonTime(provider: Provider, at: Date): string;
export function jsonTime(provider: Provider, at: Date | null): string | null;
export function jsonTime(provider: Provider, at: Date | null): string | null {
  if (at === null) return null;
  return provider === 'postgresql' ? at.toISOString() : at.toISOString().replace('Z', '+00:00');
}

function pgType(type: ColumnType): string {
  return type === 'int' ? 'integer' : type === 'time' ? 'timestamp(3)' : type === 'bool' ? 'boolean' : 'text';
}

/** The column's value in the JSON row `x`, as its column's type. */
function valueOf(provider: Provider, [name, type]: Column): string {
  if (provider === 'postgresql') return type.startsWith('enum:') ? `x."${name}"::"${type.slice(5)}"` : `x."${name}"`;
  return `x."${name}"`;
}

/** The rows of the JSON parameter as a relation `x` with the columns' names. */
function rowsOf(provider: Provider, columns: readonly Column[]): string {
  if (provider === 'postgresql') return `jsonb_to_recordset($1::jsonb) AS x(${columns.map(([c, t]) => `"${c}" ${pgType(t)}`).join(', ')})`;
  return `(SELECT ${columns.map(([c]) => `json_extract(value, '$.${c}') AS "${c}"`).join(', ')} FROM json_each(?)) AS x`;
}

/** INSERT of the JSON parameter's rows into `table`. */
export function insertFromJson(provider: Provider, table: string, columns: readonly Column[]): string {
  const names = columns.map(([c]) => `"${c}"`).join(', ');
  return `INSERT INTO "${table}" (${names}) SELECT ${columns.map((c) => valueOf(provider, c)).join(', ')} FROM ${rowsOf(provider, columns)} WHERE true`;
}

/**
 * UPDATE of `table`'s rows whose `key` is in the JSON parameter's rows: each of `columns` set to the
 * row's value; those in `keepWhenNull` keep their stored value where the row's is null.
 */
export function updateFromJson(provider: Provider, table: string, key: Column, columns: readonly Column[], keepWhenNull: readonly string[] = []): string {
  const set = columns
    .map((c) => {
      const value = valueOf(provider, c);
      return `"${c[0]}" = ${keepWhenNull.includes(c[0]) ? `COALESCE(${value}, t."${c[0]}")` : value}`;
    })
    .join(', ');
  return `UPDATE "${table}" AS t SET ${set} FROM ${rowsOf(provider, [key, ...columns])} WHERE t."${key[0]}" = x."${key[0]}"`;
}

/** `IN` this: the texts of the JSON array parameter. */
export function inJson(provider: Provider): string {
  return provider === 'postgresql' ? '(SELECT jsonb_array_elements_text($1::jsonb))' : '(SELECT value FROM json_each(?))';
}
