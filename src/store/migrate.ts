import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pgConnectionFields, preparePrivateSqliteFile, providerOf, sqliteFilePath, type Provider } from './connection';

/**
 * Applies the SQL migrations in prisma/<provider>/migrations/<name>/migration.sql, in name order,
 * each in its own transaction, recording them in _kefu_migrations with a checksum.
 * Several instances starting at once on PostgreSQL are serialised by an advisory lock.
 * (Prisma's `migrate deploy` needs a native engine or adapter patches here; this runner needs neither.)
 */
export const MIGRATIONS_ROOT = path.resolve(__dirname, '../../prisma');
const PG_LOCK_ID = 0x6b656675; // "kefu"

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export function listMigrations(provider: Provider, root = MIGRATIONS_ROOT): Migration[] {
  const dir = path.join(root, provider === 'sqlite' ? 'sqlite' : 'postgres', 'migrations');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

function checkApplied(migrations: Migration[], applied: Map<string, string>): Migration[] {
  for (const [name, checksum] of applied) {
    const m = migrations.find((x) => x.name === name);
    if (m && m.checksum !== checksum) {
      throw new Error(`Migration ${name} was changed after it was applied: write a new migration instead`);
    }
  }
  return migrations.filter((m) => !applied.has(m.name));
}

export async function migrate(url: string, root = MIGRATIONS_ROOT): Promise<MigrateResult> {
  const provider = providerOf(url);
  const migrations = listMigrations(provider, root);
  return provider === 'sqlite' ? migrateSqlite(url, migrations) : migratePostgres(url, migrations);
}

async function migrateSqlite(url: string, migrations: Migration[]): Promise<MigrateResult> {
  const file = sqliteFilePath(url);
  preparePrivateSqliteFile(file);
  const { default: Database } = await import('better-sqlite3');
  const sqlite = new Database(file);
  try {
    sqlite.pragma('busy_timeout = 5000');
    sqlite.exec(
      'CREATE TABLE IF NOT EXISTS "_kefu_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)',
    );
    // BEGIN IMMEDIATE takes the write lock up front, so two starting processes apply each migration once.
    const run = sqlite.transaction(() => {
      const rows = sqlite.prepare('SELECT "name", "checksum" FROM "_kefu_migrations"').all() as { name: string; checksum: string }[];
      const pending = checkApplied(migrations, new Map(rows.map((r) => [r.name, r.checksum])));
      const insert = sqlite.prepare('INSERT INTO "_kefu_migrations" ("name", "checksum", "appliedAt") VALUES (?, ?, ?)');
      for (const m of pending) {
        sqlite.exec(m.sql);
        insert.run(m.name, m.checksum, new Date().toISOString());
      }
      return { applied: pending.map((m) => m.name), alreadyApplied: rows.length };
    });
    return run.immediate();
  } finally {
    sqlite.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<MigrateResult> {
  const { Client } = await import('pg');
  const client = new Client(pgConnectionFields(url));
  // A connection lost between statements is reported by the next query; without a listener it would end the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PG_LOCK_ID]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS "_kefu_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ name: string; checksum: string }>('SELECT "name", "checksum" FROM "_kefu_migrations"');
    const pending = checkApplied(migrations, new Map(rows.map((r) => [r.name, r.checksum])));
    for (const m of pending) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO "_kefu_migrations" ("name", "checksum") VALUES ($1, $2)', [m.name, m.checksum]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: rows.length };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
