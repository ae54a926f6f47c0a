import type { Provider } from './connection';

/**
 * A statement written once with $1, $2 ... for both stores: PostgreSQL takes it as it is; SQLite gets
 * `?` and the values in the order the placeholders appear (a placeholder may be used twice).
 */
export function bound(provider: Provider, sql: string, values: unknown[]): [string, ...unknown[]] {
  if (provider === 'postgresql') return [sql, ...values];
  const args: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    args.push(values[Number(n) - 1]);
    return '?';
  });
  return [text, ...args];
}
