import fs from 'node:fs';
import path from 'node:path';

/** Where a DATABASE_URL points: the provider and the driver's connection settings (shared by the store, the hot store and the migrations). */
export type Provider = 'sqlite' | 'postgresql';

export function providerOf(url: string): Provider {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error(`Unsupported DATABASE_URL scheme: ${url.split(':')[0]}:`);
}

/** Resolves file:./x.db relative to the working directory, as the SQLite CLI would. */
export function sqliteFilePath(url: string): string {
  const file = url.slice('file:'.length).split('?')[0];
  return path.resolve(file);
}

/** pg connection fields from a postgresql:// URL (fields, not connectionString: see NOTES on migrate). */
export function pgConnectionFields(url: string) {
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname || '127.0.0.1'),
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username || 'postgres'),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, '') || 'postgres'),
    ssl: u.searchParams.get('sslmode') === 'require' ? { rejectUnauthorized: false } : undefined,
  };
}

/**
 * Creates the SQLite file's folder (0700 when new) and the file itself (0600) before SQLite opens it:
 * customers' data is readable by the bot's user only. SQLite gives its -wal and -shm files the same
 * mode. An existing file is left as its owner set it.
 */
export function preparePrivateSqliteFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}
