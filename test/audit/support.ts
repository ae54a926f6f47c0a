import type { StaffRole } from '../../src/staff';
import type { Store } from '../../src/store/db';
import type { TestBot } from '../support/harness';
import { createStaffAccount } from '../staff/support';

/** One staff member of each role with an API token (the tests call the staff API as each). */
export async function staffOfEveryRole(bot: TestBot, roles: readonly StaffRole[], suffix = ''): Promise<Record<string, { id: string; token: string }>> {
  const out: Record<string, { id: string; token: string }> = {};
  for (const role of roles) out[role] = await createStaffAccount(bot, { name: `${role}${suffix}`, role, login: `${role.replace('_', '-')}${suffix}`, password: 'a-long-password-1' });
  return out;
}

/** A staff API call with a bearer token. */
export async function call(bot: TestBot, method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const res = await fetch(`${bot.app.url}${path}`, {
    method,
    redirect: 'manual',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = {};
  }
  return { status: res.status, json, text };
}

/** Every row of every table of the store, as text (to look for personal data anywhere). */
export async function everyRow(store: Store): Promise<{ table: string; row: string }[]> {
  const tables =
    store.provider === 'sqlite'
      ? await store.db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      : await store.db.$queryRawUnsafe<{ name: string }[]>(`SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public'`);
  const out: { table: string; row: string }[] = [];
  for (const { name } of tables) {
    const rows = await store.db.$queryRawUnsafe<Record<string, unknown>[]>(store.provider === 'sqlite' ? `SELECT * FROM "${name}"` : `SELECT t::text AS "row" FROM "${name}" t`);
    for (const r of rows) out.push({ table: name, row: JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) });
  }
  return out;
}
