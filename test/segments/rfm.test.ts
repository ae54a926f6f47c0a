import { openTestStore, PROVIDERS } from '../support/db';
import { AS_OF, conversation, daysAfter, daysBefore, order, seedWorkedExample, segmentJob, segmentsByName } from './support';

/*
 * RFM scores, value classes and stages on the worked example (test/segments/support.ts), every
 * answer worked out by hand below, and the history of changes between two runs.
 */
describe.each(PROVIDERS)('segments on %s', (provider) => {
  let t: Awaited<ReturnType<typeof openTestStore>>;
  beforeEach(async () => {
    t = await openTestStore(provider, 'segments');
  }, 60_000);
  afterEach(() => t.close());

  test('when the job runs with quantile cuts, then each customer gets the hand-worked scores, class and stage', async () => {
    await seedWorkedExample(t.store.db);
    const result = await segmentJob(t.store).run({ trigger: 'nightly', now: AS_OF });
    expect(result.outcome).toBe('done');
    // Five buyers, quintiles by nearest rank: the cut points are the 1st-4th smallest values.
    //   recency 5 20 45 100 200 -> cuts 5 20 45 100;  frequency 1 1 2 4 6 -> 1 1 2 4;
    //   money (fen) 8000 15000 60000 120000 300000 -> 8000 15000 60000 120000.
    expect(result.outcome === 'done' && result.run.cuts).toEqual({ r: [5, 20, 45, 100], f: [1, 1, 2, 4], m: [8000, 15000, 60000, 120000] });
    expect(await segmentsByName(t.store.db)).toEqual({
      A: ['high', 'active', 5, 5, 5], //  15
      B: ['high', 'active', 4, 4, 4], //  12
      C: ['medium', 'active', 3, 3, 3], // 9; last order 45 days ago but chatted 2 days ago
      D: ['low', 'dormant', 2, 1, 2], //  5; quiet for 100 days (> 90)
      E: ['low', 'lost', 1, 1, 1], //  3; quiet for 200 days (> 180); the cancelled order does not count
      F: ['potential', 'new', 0, 0, 0], // no order; signed up 10 days ago
    });
    const a = await t.store.db.customerSegment.findFirstOrThrow({ where: { rScore: 5, fScore: 5 } });
    expect(a).toMatchObject({ recencyDays: 5, frequency: 6, monetary: 300000 });
  });

  test('when the job runs with fixed thresholds, then the scores follow the thresholds', async () => {
    await seedWorkedExample(t.store.db);
    await segmentJob(t.store, { SEGMENTS_RFM_MODE: 'thresholds' }).run({ trigger: 'nightly', now: AS_OF });
    // R: <=30 days 5, <=60 4, <=120 3, <=240 2; F: 1 order 1, 2 -> 2, 3-4 -> 3, 5-7 -> 4; M: <=200 yuan 1, <=500 2, <=1000 3, <=3000 4.
    expect(await segmentsByName(t.store.db)).toEqual({
      A: ['high', 'active', 5, 4, 4], // 13
      B: ['high', 'active', 5, 3, 4], // 12
      C: ['medium', 'active', 4, 2, 3], // 9
      D: ['low', 'dormant', 3, 1, 1], // 5
      E: ['low', 'lost', 2, 1, 1], // 4
      F: ['potential', 'new', 0, 0, 0],
    });
  });

  test('when customers move between runs, then each change of class and stage is stored once with its time', async () => {
    const { b, c, d } = await seedWorkedExample(t.store.db);
    const job = segmentJob(t.store);
    await job.run({ trigger: 'nightly', now: AS_OF });
    expect(await t.store.db.segmentChange.count({ where: { fromValue: null } })).toBe(12); // the first assignment of each customer's class and stage

    // Ten days later: D ordered again (5 days before the run), C chatted 12 days before it.
    const later = daysAfter(10);
    await order(t.store.db, d.id, daysBefore(5, later), 200);
    await conversation(t.store.db, c.id, daysBefore(12, later));
    await job.run({ trigger: 'nightly', now: later });
    // recency A15 B30 C55 D5 E210 -> cuts 5 15 30 55; frequency 6 4 2 2 1 -> 1 2 2 4; money A3000 B1200 C600 D350 E80 yuan.
    expect(await segmentsByName(t.store.db)).toMatchObject({
      A: ['high', 'active', 4, 5, 5], // 14
      B: ['medium', 'active', 3, 4, 4], // 11: was high
      C: ['low', 'active', 2, 2, 3], // 7: was medium
      D: ['medium', 'active', 5, 2, 2], // 9: was low and dormant
      E: ['low', 'lost', 1, 1, 1],
    });
    const moves = await t.store.db.segmentChange.findMany({ where: { createdAt: later }, orderBy: [{ kind: 'asc' }, { toValue: 'asc' }, { fromValue: 'asc' }] });
    expect(moves.map((m) => [m.customerId, m.kind, m.fromValue, m.toValue])).toEqual([
      [c.id, 'class', 'medium', 'low'],
      [b.id, 'class', 'high', 'medium'],
      [d.id, 'class', 'low', 'medium'],
      [d.id, 'stage', 'dormant', 'active'],
    ]);
    const history = await t.store.db.segmentChange.findMany({ where: { customerId: d.id, kind: 'stage' }, orderBy: { createdAt: 'asc' } });
    expect(history.map((h) => [h.fromValue, h.toValue, h.createdAt])).toEqual([
      [null, 'dormant', AS_OF],
      ['dormant', 'active', later],
    ]);
  });
});
