import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { openStore, type Provider, type Store } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';

/** The PostgreSQL server the tests use (trust auth); override with KEFU_TEST_PG. */
export const PG_ADMIN_URL = process.env.KEFU_TEST_PG ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Both providers, for describe.each: every store test runs on SQLite and on PostgreSQL. */
export const PROVIDERS: Provider[] = ['sqlite', 'postgresql'];

export interface TestDatabase {
  provider: Provider;
  url: string;
  /** Drops the database (PostgreSQL) or deletes the file (SQLite). */
  drop(): Promise<void>;
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const u = new URL(PG_ADMIN_URL);
  const client = new Client({ host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username || 'postgres'), database: u.pathname.slice(1) || 'postgres' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new, empty, migrated database of its own for one test file. */
export async function createTestDatabase(provider: Provider, label = 'test'): Promise<TestDatabase> {
  const suffix = `${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  let db: TestDatabase;
  if (provider === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-test-'));
    const file = path.join(dir, `kefu_${suffix}.db`);
    db = { provider, url: `file:${file}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  } else {
    const name = `kefu_${suffix}`;
    await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${name}`;
    db = {
      provider,
      url: u.toString(),
      drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
    };
  }
  await migrate(db.url);
  return db;
}

/** A migrated test database and an open store on it; close() closes and drops both. */
export async function openTestStore(provider: Provider, label?: string): Promise<{ store: Store; database: TestDatabase; close(): Promise<void> }> {
  const database = await createTestDatabase(provider, label);
  const store = await openStore(database.url, { poolSize: 5 });
  return {
    store,
    database,
    async close() {
      await store.close();
      await database.drop();
    },
  };
}
