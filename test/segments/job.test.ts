import { openStore, type Store } from '../../src/store/db';
import { openTestStore, PROVIDERS } from '../support/db';
import { AS_OF, seedWorkedExample, segmentJob } from './support';

/** Everything the job writes, to compare runs. */
async function snapshot(store: Store) {
  const segments = await store.db.customerSegment.findMany({ orderBy: { customerId: 'asc' } });
  const changes = await store.db.segmentChange.findMany({ orderBy: [{ customerId: 'asc' }, { kind: 'asc' }, { createdAt: 'asc' }], select: { customerId: true, kind: true, fromValue: true, toValue: true, createdAt: true } });
  return { segments: segments.map(({ runId: _runId, ...rest }) => rest), changes };
}

/*
 * The nightly job: idempotent, once across instances (a lease row), resumable after a crash between
 * batches (each batch commits with its checkpoint; the run's cut points are fixed at its start).
 */
describe.each(PROVIDERS)('the segment job on %s', (provider) => {
  let t: Awaited<ReturnType<typeof openTestStore>>;
  beforeEach(async () => {
    t = await openTestStore(provider, 'segjob');
    await seedWorkedExample(t.store.db);
  }, 60_000);
  afterEach(() => t.close());

  test('when the nightly job runs twice in a row, then the second run changes nothing', async () => {
    const job = segmentJob(t.store, { SEGMENTS_BATCH_SIZE: '2' });
    const first = await job.run({ trigger: 'nightly', now: AS_OF });
    expect(first).toMatchObject({ outcome: 'done', run: { status: 'DONE', processed: 6, changed: 6, batches: 3 } });
    const after = await snapshot(t.store);
    const second = await job.run({ trigger: 'nightly', now: new Date(AS_OF.getTime() + 60_000) });
    expect(second.outcome).toBe('already');
    expect(await snapshot(t.store)).toEqual(after);
    // A recomputation on demand finds nothing to change either.
    const manual = await job.run({ trigger: 'manual', now: new Date(AS_OF.getTime() + 120_000) });
    expect(manual).toMatchObject({ outcome: 'done', run: { processed: 6, changed: 0 } });
    expect(await snapshot(t.store)).toEqual(after);
  });

  test('when two instances start the job at once, then it runs exactly once', async () => {
    // A second store on the same database plays the other instance (its own pool on PostgreSQL).
    const other = provider === 'postgresql' ? await openStore(t.database.url, { poolSize: 2 }) : t.store;
    try {
      const one = segmentJob(t.store, { SEGMENTS_BATCH_SIZE: '2' });
      const two = segmentJob(other, { SEGMENTS_BATCH_SIZE: '2' });
      let secondWhileFirstRan: string | undefined;
      const first = await one.run({
        trigger: 'nightly',
        now: AS_OF,
        // The other instance's timer fires while the first is between its batches (holding the lease).
        afterBatch: async (batch) => {
          if (batch === 1) secondWhileFirstRan = (await two.run({ trigger: 'nightly', now: AS_OF })).outcome;
        },
      });
      // And once more after it finished: the night's run is done.
      const second = await two.run({ trigger: 'nightly', now: AS_OF });
      expect(first).toMatchObject({ outcome: 'done', run: { processed: 6 } });
      expect(secondWhileFirstRan).toBe('busy');
      expect(second.outcome).toBe('already');
      expect(await t.store.db.segmentRun.count()).toBe(1);
      expect(await t.store.db.segmentChange.count()).toBe(12);
    } finally {
      if (other !== t.store) await other.close();
    }
  });

  test('when the job crashes after a batch, then the rerun resumes at the checkpoint and ends as an uninterrupted run would', async () => {
    const job = segmentJob(t.store, { SEGMENTS_BATCH_SIZE: '2' });
    await expect(
      job.run({
        trigger: 'nightly',
        now: AS_OF,
        afterBatch: (batch) => {
          if (batch === 1) throw new Error('crash after the first batch');
        },
      }),
    ).rejects.toThrow('crash after the first batch');
    const crashed = await t.store.db.segmentRun.findFirstOrThrow();
    expect(crashed).toMatchObject({ status: 'RUNNING', processed: 2, batches: 1 });
    expect(await t.store.db.customerSegment.count()).toBe(2);

    // A process killed outright keeps its lease until it expires (300 s): until then nobody else runs.
    await t.store.db.jobLease.updateMany({ data: { holder: 'killed-process', leaseUntil: new Date(AS_OF.getTime() + 300_000) } });
    const rerun = segmentJob(t.store, { SEGMENTS_BATCH_SIZE: '2' });
    expect((await rerun.run({ trigger: 'nightly', now: new Date(AS_OF.getTime() + 60_000) })).outcome).toBe('busy');
    const resumed = await rerun.run({ trigger: 'nightly', now: new Date(AS_OF.getTime() + 301_000) });
    expect(resumed).toMatchObject({ outcome: 'done', resumed: true, run: { id: crashed.id, status: 'DONE', processed: 6, batches: 3 } });
    const afterCrash = await snapshot(t.store);

    // The same data run without a crash, in a fresh database, gives the same rows and history.
    const clean = await openTestStore(provider, 'segclean');
    try {
      await seedWorkedExample(clean.store.db);
      await segmentJob(clean.store).run({ trigger: 'nightly', now: AS_OF });
      const names = async (s: Store) => new Map((await s.db.customer.findMany()).map((c) => [c.id, c.name]));
      const [crashNames, cleanNames] = [await names(t.store), await names(clean.store)];
      const byName = (snap: Awaited<ReturnType<typeof snapshot>>, n: Map<string, string | null>) => ({
        segments: snap.segments.map((s) => ({ ...s, customerId: n.get(s.customerId) })).sort((x, y) => String(x.customerId).localeCompare(String(y.customerId))),
        changes: snap.changes.map((c) => ({ ...c, customerId: n.get(c.customerId) })).sort((x, y) => `${x.customerId}${x.kind}`.localeCompare(`${y.customerId}${y.kind}`)),
      });
      expect(byName(afterCrash, crashNames)).toEqual(byName(await snapshot(clean.store), cleanNames));
    } finally {
      await clean.close();
    }
  });
});
