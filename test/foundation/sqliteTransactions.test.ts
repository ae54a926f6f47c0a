import Database from 'better-sqlite3';
import { openTestStore } from '../support/db';

/**
 * On SQLite the turn writer commits on its own connection every few milliseconds under load, while
 * Prisma's transactions (a new customer, a ticket) run on another: they must not fail because the
 * writer committed between their reads and their writes.
 */
describe('Prisma transactions next to the turn writer (SQLite)', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>;
  let other: Database.Database;

  beforeAll(async () => {
    t = await openTestStore('sqlite', 'sqlitetx');
    other = new Database(t.database.url.slice('file:'.length));
    other.pragma('busy_timeout = 0');
  });
  afterAll(async () => {
    other.close();
    await t.close();
  });

  const otherWrite = (key: string) => {
    try {
      other.prepare(`INSERT INTO "BotState" ("key", "data", "etag", "updatedAt") VALUES (?, '{}', 1, ?)`).run(key, new Date().toISOString());
      return 'committed';
    } catch (err) {
      return (err as { code?: string }).code;
    }
  };

  test('when another connection tries to commit between a transaction\'s read and its write, then it waits and the transaction commits', async () => {
    let during: string | undefined;
    await t.store.db.$transaction(async (tx) => {
      expect(await tx.customer.findFirst({ where: { name: 'Read then write' } })).toBeNull();
      during = otherWrite('tx/during');
      await tx.customer.create({ data: { name: 'Read then write' } });
    });
    expect(during).toBe('SQLITE_BUSY'); // the transaction held the write lock from its BEGIN
    expect(await t.store.db.customer.count({ where: { name: 'Read then write' } })).toBe(1);
    expect(otherWrite('tx/after')).toBe('committed');
  });
});
