import { writeAudit } from '../../src/crm/audit';
import { archiveAuditLog } from '../../src/crm/auditArchive';
import { verifyAuditChain } from '../../src/crm/auditChain';
import { runAuditCli } from '../../src/cli/audit';
import type { Store } from '../../src/store/db';
import { PROVIDERS, openTestStore } from '../support/db';

/** Runs raw SQL on either store (the trigger tests need statements Prisma would not write). */
async function sql(store: Store, text: string): Promise<void> {
  await store.db.$executeRawUnsafe(text);
}

describe.each(PROVIDERS)('the audit log: append-only and hash-chained (%s)', (provider) => {
  let store: Store;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ store, close } = await openTestStore(provider, 'auditchain'));
    for (let i = 0; i < 5; i++) {
      await store.db.$transaction((tx) => writeAudit(tx, { actor: { type: 'agent', id: `a${i}` }, action: 'customer.update', entity: 'Customer', entityId: 'c1', before: { phone: `1380000000${i}` }, after: { phone: `1390000000${i}` }, reason: 'customer asked' }));
    }
  });
  afterAll(() => close());

  test('when audit rows are written, then each is chained to the previous one and audit:verify passes', async () => {
    const rows = await store.db.auditLog.findMany({ orderBy: { seq: 'asc' } });
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, checked: 5 });
    const out: string[] = [];
    expect(await runAuditCli(['verify'], (t) => out.push(t), store.url)).toBe(0);
    expect(out.join('')).toContain('5 rows');
  });

  test('when someone tries UPDATE or DELETE on the audit log, then the database refuses both', async () => {
    const row = await store.db.auditLog.findFirstOrThrow({ where: { seq: 2 } });
    await expect(store.db.auditLog.update({ where: { id: row.id }, data: { reason: 'nothing happened' } })).rejects.toThrow(/append-only/);
    await expect(sql(store, `UPDATE "AuditLog" SET "actorId" = 'someone' WHERE "seq" = 3`)).rejects.toThrow(/append-only/);
    await expect(store.db.auditLog.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/);
    await expect(sql(store, 'DELETE FROM "AuditLog"')).rejects.toThrow(/append-only/);
    // Not even with the archive's gate open: the rows are younger than 365 days.
    await expect(store.db.$transaction(async (tx) => {
      await tx.auditArchiveGate.create({ data: { id: 1, before: new Date(Date.now() + 86_400_000) } });
      await tx.auditLog.deleteMany({});
    })).rejects.toThrow(/append-only/);
    expect(await store.db.auditLog.count()).toBe(5);
    expect((await store.db.auditLog.findFirstOrThrow({ where: { seq: 2 } })).reason).toBe('customer asked');
  });

  test('when concurrent writers add audit rows, then the chain does not fork', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => store.db.$transaction((tx) => writeAudit(tx, { actor: { type: 'system', id: 'w' }, action: 'test.concurrent', entity: 'Test', entityId: String(i), reason: 'concurrency' }))));
    const result = await verifyAuditChain(store.db);
    expect(result).toMatchObject({ ok: true, checked: 17 });
  });

  test('when a row is changed behind the triggers\' back, then audit:verify names the first broken row and exits 1', async () => {
    const fresh = await openTestStore(provider, 'audittamper');
    try {
      for (let i = 0; i < 4; i++) await fresh.store.db.$transaction((tx) => writeAudit(tx, { actor: { type: 'agent', id: 'x' }, action: 'points.adjust', entity: 'Customer', entityId: 'c9', after: { points: i }, reason: 'goodwill' }));
      if (provider === 'sqlite') await sql(fresh.store, 'DROP TRIGGER "AuditLog_append_only_update"');
      else await sql(fresh.store, 'DROP TRIGGER "AuditLog_append_only" ON "AuditLog"');
      await sql(fresh.store, `UPDATE "AuditLog" SET "after" = '{"points":1000}' WHERE "seq" = 3`);
      const result = await verifyAuditChain(fresh.store.db);
      expect(result.ok).toBe(false);
      expect(result.broken).toMatchObject({ seq: 3, problem: expect.stringContaining('before / after') });
      await sql(fresh.store, `UPDATE "AuditLog" SET "after" = '{"points":2}', "reason" = 'no reason' WHERE "seq" = 3`);
      expect((await verifyAuditChain(fresh.store.db)).broken).toMatchObject({ seq: 3, problem: expect.stringContaining('hash differs') });
      const out: string[] = [];
      expect(await runAuditCli(['verify'], (t) => out.push(t), fresh.store.url)).toBe(1);
      expect(out.join('')).toMatch(/broken at seq 3/);
    } finally {
      await fresh.close();
    }
  });

  test('when rows pass the retention period, then the archive moves them (never before 365 days) and the chain still verifies', async () => {
    const fresh = await openTestStore(provider, 'auditarchive');
    try {
      const now = new Date();
      const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
      for (const age of [800, 700, 400, 100, 1]) {
        await fresh.store.db.$transaction((tx) => writeAudit(tx, { actor: { type: 'system', id: 'seed' }, action: 'test.aged', entity: 'Test', entityId: String(age), reason: 'aged row', at: daysAgo(age) }));
      }
      await expect(archiveAuditLog(fresh.store.db, { retentionDays: 100, now })).rejects.toThrow(/at least 365/);
      // Two archivers at once (two instances): the rows move once.
      const moved = await Promise.all([archiveAuditLog(fresh.store.db, { retentionDays: 500, now }), archiveAuditLog(fresh.store.db, { retentionDays: 500, now })]);
      expect(moved.sort()).toEqual([0, 2]);
      expect(await fresh.store.db.auditLog.count()).toBe(3);
      expect(await fresh.store.db.auditLogArchive.count()).toBe(2);
      expect(await verifyAuditChain(fresh.store.db)).toMatchObject({ ok: true, checked: 5 });
      await expect(sql(fresh.store, 'DELETE FROM "AuditLogArchive"')).rejects.toThrow(/append-only/);
    } finally {
      await fresh.close();
    }
  });
});
