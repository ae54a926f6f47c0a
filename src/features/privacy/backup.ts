import fs from 'node:fs';
import path from 'node:path';
import { providerOf, sqliteFilePath } from '../../store/connection';

/**
 * Backups of the SQLite store with SQLite's online backup API (better-sqlite3 `backup()`): a
 * consistent copy while Kefu runs and writes. PostgreSQL: pg_dump / pg_restore (README, "Personal
 * data"). Sealed values stay sealed in the copy: a backup is useless without KEFU_DATA_KEYS, so keep
 * the keys somewhere else than the backups.
 */
export const PG_BACKUP_HINT =
  'this is a PostgreSQL store: use pg_dump -Fc -f kefu.dump "$DATABASE_URL" to back it up and pg_restore --clean --if-exists -d "$DATABASE_URL" kefu.dump to restore it (README, "Personal data")';

function sqliteOnly(databaseUrl: string): string {
  if (providerOf(databaseUrl) !== 'sqlite') throw new Error(PG_BACKUP_HINT);
  return sqliteFilePath(databaseUrl);
}

/** Copies the store to `target` (created 0600; an existing file is replaced), online. Returns the pages copied. */
export async function backupSqlite(databaseUrl: string, target: string): Promise<number> {
  const source = sqliteOnly(databaseUrl);
  if (!fs.existsSync(source)) throw new Error(`no SQLite store at ${source}`);
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(source, { fileMustExist: true });
  const out = path.resolve(target);
  const partial = `${out}.partial`;
  try {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.rmSync(partial, { force: true });
    fs.closeSync(fs.openSync(partial, 'wx', 0o600));
    const { totalPages } = await db.backup(partial);
    fs.renameSync(partial, out);
    return totalPages;
  } finally {
    fs.rmSync(partial, { force: true });
    db.close();
  }
}

/**
 * Replaces the store with the backup `file` (checked first: a file that is not a sound SQLite
 * database is refused and the store is left alone). Kefu must be stopped: the restored file replaces
 * the store's file, and its -wal and -shm files are removed.
 */
export async function restoreSqlite(file: string, databaseUrl: string): Promise<void> {
  const target = sqliteOnly(databaseUrl);
  const { default: Database } = await import('better-sqlite3');
  const backup = new Database(path.resolve(file), { readonly: true, fileMustExist: true });
  const staging = `${target}.restoring`;
  try {
    const check = backup.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`${file} is not a sound SQLite database (quick_check: ${String(check)})`);
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    fs.rmSync(staging, { force: true });
    fs.closeSync(fs.openSync(staging, 'wx', 0o600));
    await backup.backup(staging);
  } catch (err) {
    fs.rmSync(staging, { force: true });
    throw err;
  } finally {
    backup.close();
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true });
  fs.renameSync(staging, target);
}
