import { LocalBroadcast } from '../../src/events/broadcast';
import { EventDispatcher, retryDelayMs } from '../../src/events/dispatcher';
import { EventLog, type DomainEvent } from '../../src/events/eventLog';
import { createLogger } from '../../src/logger';
import { openStore, type Store } from '../../src/store/db';
import { openTestStore, PROVIDERS } from '../support/db';

const logger = createLogger('silent');

/** A clock the test moves (retries are due at a time). */
class Clock {
  constructor(public at = new Date('2026-11-30T02:00:00Z')) {}
  readonly now = () => this.at;
  advance(ms: number) {
    this.at = new Date(this.at.getTime() + ms);
  }
}

describe.each(PROVIDERS)('domain events: the outbox and its dispatcher (%s)', (provider) => {
  let t: Awaited<ReturnType<typeof openTestStore>>;
  beforeAll(async () => {
    t = await openTestStore(provider, 'events');
  }, 60_000);
  afterAll(() => t.close());

  function setup(store: Store = t.store, clock = new Clock(), maxAttempts = 3) {
    const events = new EventLog(provider);
    const seen: { subscriber: string; event: DomainEvent }[] = [];
    const failing = new Set<string>();
    for (const name of ['notify', 'audit']) {
      events.subscribe({
        name,
        types: ['thing.happened'],
        handle: async (event) => {
          if (failing.has(name)) throw new Error(`${name} is down`);
          seen.push({ subscriber: name, event });
        },
      });
    }
    const dispatcher = new EventDispatcher({ db: store.db, provider, events, broadcast: new LocalBroadcast(), logger }, { clock: clock.now, maxAttempts });
    return { events, dispatcher, seen, failing, clock };
  }

  const record = (events: EventLog, subject: string, payload: unknown, at: Date, store: Store = t.store) =>
    store.db.$transaction((tx) => events.record(tx, [{ type: 'thing.happened', subject, payload }], at));

  test('when an event is recorded in a transaction that rolls back, then nothing is delivered; when it commits, each subscriber gets it once', async () => {
    const { events, dispatcher, seen, clock } = setup();
    await expect(
      t.store.db.$transaction(async (tx) => {
        await events.record(tx, [{ type: 'thing.happened', subject: 'S:rolled-back', payload: { n: 0 } }], clock.at);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const [id] = await record(events, 'S:1', { n: 1 }, clock.at);
    expect(await dispatcher.runUntilIdle()).toBe(2);
    expect(seen.map((s) => [s.subscriber, s.event.id, s.event.payload])).toEqual(
      expect.arrayContaining([['notify', id, { n: 1 }], ['audit', id, { n: 1 }]]),
    );
    expect(seen).toHaveLength(2);
    expect(await dispatcher.runUntilIdle()).toBe(0); // delivered means done
    const deliveries = await t.store.db.eventDelivery.findMany({ where: { eventId: id } });
    expect(deliveries.map((d) => [d.subscriber, d.status, d.attempts]).sort()).toEqual([['audit', 'DONE', 1], ['notify', 'DONE', 1]]);
    expect(await t.store.db.domainEvent.count({ where: { subject: 'S:rolled-back' } })).toBe(0);
  });

  test('when a subscriber fails, then only its copy is retried with backoff until it works; after the last attempt it is DEAD with the error', async () => {
    const { events, dispatcher, seen, failing, clock } = setup();
    failing.add('notify');
    const [id] = await record(events, 'S:2', { n: 2 }, clock.at);
    await dispatcher.runUntilIdle();
    expect(seen.map((s) => s.subscriber)).toEqual(['audit']);
    let notify = await t.store.db.eventDelivery.findFirstOrThrow({ where: { eventId: id, subscriber: 'notify' } });
    expect([notify.status, notify.attempts, notify.lastError]).toEqual(['PENDING', 1, 'notify is down']);
    expect(notify.nextAttemptAt.getTime() - clock.at.getTime()).toBe(retryDelayMs(1));

    expect(await dispatcher.runUntilIdle()).toBe(0); // not due yet
    clock.advance(retryDelayMs(1));
    failing.delete('notify');
    expect(await dispatcher.runUntilIdle()).toBe(1);
    notify = await t.store.db.eventDelivery.findFirstOrThrow({ where: { eventId: id, subscriber: 'notify' } });
    expect([notify.status, notify.attempts]).toEqual(['DONE', 2]);

    failing.add('audit');
    const [other] = await record(events, 'S:3', { n: 3 }, clock.at);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await dispatcher.runUntilIdle();
      clock.advance(retryDelayMs(attempt));
    }
    const dead = await t.store.db.eventDelivery.findFirstOrThrow({ where: { eventId: other, subscriber: 'audit' } });
    expect([dead.status, dead.attempts, dead.lastError]).toEqual(['DEAD', 3, 'audit is down']);
    expect(await dispatcher.runUntilIdle()).toBe(0);
  });

  test('when the process that took a delivery died (its lease ran out), then another dispatcher takes it', async () => {
    const { events, dispatcher, seen, clock } = setup();
    const [id] = await record(events, 'S:4', { n: 4 }, clock.at);
    // A dispatcher took both copies, then died before delivering them.
    await t.store.db.eventDelivery.updateMany({ where: { eventId: id }, data: { leaseUntil: new Date(clock.at.getTime() + 60_000), leasedBy: 'dead', attempts: 1 } });
    expect(await dispatcher.runUntilIdle()).toBe(0);
    clock.advance(60_001);
    expect(await dispatcher.runUntilIdle()).toBe(2);
    expect(seen.filter((s) => s.event.id === id)).toHaveLength(2);
  });

  test('when events about one subject pile up, then each subscriber gets them in the order they happened', async () => {
    const { events, dispatcher, seen, clock } = setup();
    for (let n = 0; n < 12; n++) await record(events, 'S:ordered', { n }, clock.at);
    await dispatcher.runUntilIdle();
    const order = (name: string) => seen.filter((s) => s.subscriber === name && s.event.subject === 'S:ordered').map((s) => (s.event.payload as { n: number }).n);
    expect(order('notify')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(order('audit')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  if (provider === 'postgresql') {
    test('when two instances dispatch the same events at once, then every copy is delivered exactly once', async () => {
      const second = await openStore(t.store.url, { poolSize: 4 });
      try {
        const clock = new Clock();
        const a = setup(t.store, clock);
        const b = setup(second, clock);
        const ids: string[] = [];
        for (let n = 0; n < 60; n++) ids.push(...(await record(a.events, `S:race-${n % 7}`, { n }, clock.at)));
        await Promise.all([a.dispatcher.runUntilIdle(), b.dispatcher.runUntilIdle(), a.dispatcher.runUntilIdle(), b.dispatcher.runUntilIdle()]);
        const delivered = [...a.seen, ...b.seen].filter((s) => ids.includes(s.event.id)).map((s) => `${s.subscriber}:${s.event.id}`);
        expect(delivered).toHaveLength(120);
        expect(new Set(delivered).size).toBe(120);
        expect(a.seen.length).toBeGreaterThan(0);
      } finally {
        await second.close();
      }
    });
  }
});
