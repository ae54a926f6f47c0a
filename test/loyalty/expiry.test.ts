import { EventLog } from '../../src/events/eventLog';
import { LoyaltyPolicy, PointsLedger } from '../../src/features/loyalty';
import { PointsExpiry } from '../../src/features/loyalty/expiry';
import { PointsRedemption } from '../../src/features/loyalty/redemption';
import type { Provider, Store } from '../../src/store/db';
import { sh, TEST_NOW, TestClock } from '../support/clock';
import { openTestStore, PROVIDERS } from '../support/db';

/*
 * Points expire 24 months after they were earned, first in, first out. "Now" is 2026-11-26 10:00 in
 * Shanghai, so the night's cutoff is 2024-11-26: points earned before that day and not spent expire.
 * On a shop whose gold tier starts at 100 points.
 */
const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;

describe.each(PROVIDERS)('points expiry (%s store)', (provider: Provider) => {
  let store: Store;
  let close: () => Promise<void>;
  const clock = new TestClock();
  let ledger: PointsLedger;
  const expiry = (months = 24) => new PointsExpiry({ db: store.db, ledger, months, timeZone: TZ });
  beforeAll(async () => {
    ({ store, close } = await openTestStore(provider, 'expiry'));
    ledger = new PointsLedger(store.db, new EventLog(provider), new LoyaltyPolicy({ gold: 100, diamond: 1000 }), clock.now);
  });
  afterAll(() => close());
  beforeEach(() => clock.set(TEST_NOW));

  const customer = async (name: string) => (await store.db.customer.create({ data: { name, externalId: `${name}-${provider}` } })).id;
  /** Points for a delivered order of `yuan` yuan, earned at `at`. */
  const earn = (customerId: string, orderId: string, yuan: number, at: Date) => store.db.$transaction((tx) => ledger.earnForDelivery(tx, { id: orderId, customerId, total: yuan * 100 }, at));
  const expired = (customerId: string) => store.db.pointsEntry.findMany({ where: { customerId, kind: 'expire' } });

  /** 30 points spent on 2026-11-01 in each way the ledger knows. */
  const SPENDING: Record<string, (customerId: string) => Promise<unknown>> = {
    'a refund of the old order': (id) => store.db.$transaction((tx) => ledger.reverseForRefund(tx, { id: `old-${id}`, customerId: id }, 3000, `refund-${id}`, sh('2026-11-01T12:00:00'))),
    'a redemption': (id) => {
      clock.set(sh('2026-11-01T12:00:00'));
      return new PointsRedemption({ db: store.db, ledger, events: new EventLog(provider), coupons: [{ points: 30, amount: 300, validDays: 30 }], clock: clock.now }).redeem(id, 30, `PT-${id}`);
    },
    "an agent's adjustment down": (id) => {
      clock.set(sh('2026-11-01T12:00:00'));
      return ledger.adjust(id, -30, 'duplicate points corrected', { type: 'agent', id: null });
    },
  };

  test.each(Object.keys(SPENDING))(
    'when 100 points were earned 30 months ago, 50 a month ago and 30 spent by %s, then 70 expire, once, however often and wherever the job runs',
    async (spending) => {
      const id = await customer(`fifo-${spending.length}`);
      await earn(id, `old-${id}`, 100, sh('2024-05-26T12:00:00'));
      await earn(id, `new-${id}`, 50, sh('2026-10-26T12:00:00'));
      await SPENDING[spending]!(id);
      clock.set(TEST_NOW);
      expect(await store.db.customer.findUniqueOrThrow({ where: { id } })).toMatchObject({ points: 120, tier: 'GOLD' });

      const first = await expiry().run(TEST_NOW);
      expect(first).toMatchObject({ cutoffDay: '2024-11-26', customers: 1 });
      expect(await expired(id)).toEqual([
        expect.objectContaining({ delta: -70, sourceKey: `expire:${id}:2024-11-26`, actorType: 'system', actorId: 'loyalty.expiry', createdAt: TEST_NOW }),
      ]);
      expect(await store.db.customer.findUniqueOrThrow({ where: { id } })).toMatchObject({ points: 50, tier: 'SILVER' });
      expect(await ledger.balance(id)).toBe(50);
      expect(await store.db.tierChange.findFirst({ where: { customerId: id }, orderBy: { createdAt: 'desc' } })).toMatchObject({ fromTier: 'GOLD', toTier: 'SILVER', points: 50 });
      expect(await store.db.auditLog.findMany({ where: { entityId: id, action: 'points.expire' } })).toEqual([
        expect.objectContaining({ actorType: 'system', actorId: 'loyalty.expiry', before: { points: 120, tier: 'GOLD' }, after: expect.objectContaining({ points: 50, tier: 'SILVER' }) }),
      ]);

      // Again, and on two instances at once: nothing more.
      const again = await Promise.all([expiry().run(TEST_NOW), expiry().run(TEST_NOW)]);
      expect(again.map((r) => r.points)).toEqual([0, 0]);
      // The next night: the 70 expired count as spent, the 50 are young.
      clock.set(new Date(TEST_NOW.getTime() + DAY));
      expect((await expiry().run(clock.now())).points).toBe(0);
      expect((await expired(id)).map((e) => e.delta)).toEqual([-70]);
      expect(await ledger.balance(id)).toBe(50);
    },
  );

  test('when a customer has nothing older than 24 months, then nothing of theirs expires, while an old member beside them loses their unspent points', async () => {
    const young = await customer('young');
    const old = await customer('old');
    await earn(young, `y1-${young}`, 50, sh('2026-10-26T12:00:00'));
    await earn(young, `y2-${young}`, 80, sh('2024-11-26T00:00:00')); // the cutoff day itself: still valid
    await earn(old, `o1-${old}`, 40, sh('2024-11-25T23:59:00'));
    const run = await expiry().run(TEST_NOW);
    expect(await expired(young)).toEqual([]);
    expect(await ledger.balance(young)).toBe(130);
    expect((await expired(old)).map((e) => e.delta)).toEqual([-40]);
    expect(run).toMatchObject({ customers: 1, points: 40 });
  });

  test('when points expire within 30 days, then the next batch and its day are known; none when they expire later or never', async () => {
    const soon = await customer('soon');
    await earn(soon, `s1-${soon}`, 80, sh('2024-12-05T20:00:00')); // expires in the night of 2026-12-06
    await earn(soon, `s2-${soon}`, 40, sh('2024-12-20T09:00:00')); // 2026-12-21: after the first batch
    await earn(soon, `s3-${soon}`, 100, sh('2026-01-01T09:00:00'));
    await ledger.adjust(soon, -30, 'points spent in the shop', { type: 'agent', id: null });
    expect(await expiry().upcoming(soon, TEST_NOW)).toEqual({ points: 50, on: sh('2026-12-06T00:00:00') });
    expect(await expiry(0).upcoming(soon, TEST_NOW)).toBeUndefined();

    const later = await customer('later');
    await earn(later, `l1-${later}`, 10, sh('2025-01-10T09:00:00')); // 2027-01-11: 46 days away
    expect(await expiry().upcoming(later, TEST_NOW)).toBeUndefined();
  });

  test('when expiry is off (0 months), then the job expires nothing', async () => {
    const id = await customer('off');
    await earn(id, `off-${id}`, 60, sh('2020-01-01T09:00:00'));
    expect(await expiry(0).run(TEST_NOW)).toMatchObject({ customers: 0, points: 0 });
    expect(await ledger.balance(id)).toBe(60);
  });
});
