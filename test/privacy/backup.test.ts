import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { backupSqlite, restoreSqlite } from '../../src/features/privacy/backup';
import { openStore } from '../../src/store/db';
import { createTestDatabase, type TestDatabase } from '../support/db';

/* `npm run db:backup` / `db:restore` on SQLite: an online copy while the store is open, and a restore that brings it back. */
const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

describe('SQLite backup and restore', () => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite', 'backup');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-backup-'));
  });
  afterAll(async () => {
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('when the store is backed up while open and later damaged, then the restore brings back what was backed up, still sealed and readable', async () => {
    const store = await openStore(database.url);
    await store.db.customer.create({ data: { id: 'kept', name: '赵敏', phone: '13700001111' } });
    const file = path.join(dir, 'kefu.backup.db');
    expect(await backupSqlite(database.url, file)).toBeGreaterThan(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file).includes('13700001111')).toBe(false);
    await store.db.customer.delete({ where: { id: 'kept' } });
    await store.db.customer.create({ data: { id: 'later', name: 'after the backup' } });
    await store.close();

    await restoreSqlite(file, database.url);
    const restored = await openStore(database.url);
    try {
      expect(await restored.db.customer.findMany({ select: { id: true, name: true, phone: true } })).toEqual([{ id: 'kept', name: '赵敏', phone: '13700001111' }]);
      expect((await restored.db.customer.findFirst({ where: { phone: '137 0000 1111' } }))?.id).toBe('kept');
    } finally {
      await restored.close();
    }
  });

  test('when a file that is not a database is restored, then it is refused and the store is left as it was', async () => {
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'not a database at all, just some text that is long enough'.repeat(100));
    // Read from the message: better-sqlite3's errors come from another realm in a jest worker (see test/foundation/turnWrites.test.ts).
    const refused = await restoreSqlite(junk, database.url).then(() => 'restored', (err: Error) => err.message);
    expect(refused).toMatch(/not a database|not a sound SQLite database/);
    const store = await openStore(database.url);
    try {
      expect(await store.db.customer.count()).toBe(1);
    } finally {
      await store.close();
    }
  });

  test('when the npm scripts run, then db:backup writes the copy and db:restore puts it back; on PostgreSQL they point to pg_dump', async () => {
    const file = path.join(dir, 'cli.backup.db');
    const env = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' };
    const backup = await run('node', ['--import', 'tsx', 'src/cli/backup.ts', 'backup', file], { cwd: ROOT, env });
    expect(backup.stdout).toContain(`to ${file}`);
    const restore = await run('node', ['--import', 'tsx', 'src/cli/backup.ts', 'restore', file], { cwd: ROOT, env });
    expect(restore.stdout).toContain('restored');
    await expect(backupSqlite('postgresql://postgres@127.0.0.1:5432/kefu', file)).rejects.toThrow(/pg_dump -Fc/);
  }, 180_000);
});
