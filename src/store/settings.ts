import crypto from 'node:crypto';
import type { Db } from './db';
import { isUniqueViolation } from './errors';

/**
 * A secret Kefu generates once and keeps in the store (table AppSetting) when none is configured:
 * every instance on the store, and every restart, uses the same one. Two instances starting at
 * once both end up with the one written first.
 */
export async function keptSecret(db: Db, key: string): Promise<string> {
  const found = await db.appSetting.findUnique({ where: { key } });
  if (found) return found.value;
  try {
    return (await db.appSetting.create({ data: { key, value: crypto.randomBytes(32).toString('hex') } })).value;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return (await db.appSetting.findUniqueOrThrow({ where: { key } })).value;
  }
}
