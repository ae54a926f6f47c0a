import { runRetention, type RetentionPolicy } from '../../src/features/privacy/retention';
import { openStore, type Store } from '../../src/store/db';
import { TEST_NOW } from '../support/clock';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../support/db';

/*
 * The nightly retention job on a seeded data set of known ages: transcripts past 730 days, bot state
 * past 30 days and tickets closed more than 1095 days ago go (tickets anonymised, not deleted); the
 * rest stays. Run twice in a row, on the next day, and by two instances at once.
 */
const POLICY: RetentionPolicy = { transcriptDays: 730, botStateDays: 30, closedTicketDays: 1095 };
const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;
const ago = (days: number, from = TEST_NOW) => new Date(from.getTime() - days * DAY);

describe.each(PROVIDERS)('retention (%s store)', (provider) => {
  let database: TestDatabase;
  let store: Store;
  let seq = 0;

  /** One of each kind of data at each of the given ages, in days before `at`. */
  async function seed(at: Date, ages: number[]): Promise<void> {
    const customer = await store.db.customer.create({ data: { name: '王芳', phone: '13811112222' } });
    const conversation = await store.db.conversation.create({ data: { channelId: 'test', channelConversationId: `r-${++seq}`, customerId: customer.id, reference: {} } });
    await store.db.directLineConversation.create({ data: { id: `dl-${seq}`, userId: 'u' } });
    for (const age of ages) {
      const when = ago(age, at);
      await store.db.message.create({ data: { conversationId: conversation.id, customerId: customer.id, direction: 'INBOUND', activityType: 'message', text: `said ${age} days ago`, timestamp: when } });
      await store.db.directLineActivity.create({ data: { conversationId: `dl-${seq}`, seq: age, activity: '{"type":"message","text":"x"}', createdAt: when } });
      await store.turns.upsertState(`state-${seq}-${age}`, '{"dialogStack":[]}', when);
      const ticket = await store.db.ticket.create({
        data: { number: `T${seq}${age}`, customerId: customer.id, category: 'consultation', status: 'CLOSED', summary: `call me on 13811112222 (${age})`, resolutionSummary: 'called back', closedAt: when },
      });
      await store.db.ticketEvent.create({ data: { ticketId: ticket.id, type: 'COMMENT', actorType: 'agent', body: 'the customer lives at 上海市某路1号' } });
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase(provider, 'retention');
    store = await openStore(database.url, { poolSize: 4 });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  test('when the job runs on data of known ages, then what is past its period is purged or anonymised, the rest stays, the run is recorded, and running again changes nothing', async () => {
    await seed(TEST_NOW, [1, 29, 31, 729, 731, 1094, 1096]);
    const deps = { store, policy: POLICY, timeZone: TZ, instance: 'test' };

    const first = await runRetention(deps, TEST_NOW);
    expect(first).toEqual({ skipped: false, day: '2026-11-26', counts: { messages: 3, directLineActivities: 3, botStates: 5, tickets: 1, ticketEvents: 1 } });
    expect((await store.db.message.findMany({ orderBy: { timestamp: 'desc' } })).map((m) => m.text)).toEqual(['said 1 days ago', 'said 29 days ago', 'said 31 days ago', 'said 729 days ago']);
    expect(await store.db.directLineActivity.count()).toBe(4);
    expect((await store.db.botState.findMany({ orderBy: { key: 'asc' } })).map((s) => s.key)).toEqual(['state-1-1', 'state-1-29']);
    const tickets = await store.db.ticket.findMany({ orderBy: { closedAt: 'asc' }, include: { events: true } });
    expect(tickets).toHaveLength(7);
    expect(tickets[0]).toMatchObject({ summary: '', resolutionSummary: null, status: 'CLOSED' });
    expect(tickets[0].events[0].body).toBeNull();
    expect(tickets[1]).toMatchObject({ summary: 'call me on 13811112222 (1094)', resolutionSummary: 'called back' });
    expect(tickets[1].events[0].body).toBe('the customer lives at 上海市某路1号');

    // Again the same night (a second scheduler, a restart): the day is taken, nothing runs.
    expect(await runRetention(deps, new Date(TEST_NOW.getTime() + 60_000))).toEqual({ skipped: true, day: '2026-11-26' });
    // The next night: nothing is past its period yet (the 29-day-old state is now exactly 30 days old): nothing changes.
    const next = await runRetention(deps, new Date(TEST_NOW.getTime() + DAY));
    expect(next).toEqual({ skipped: false, day: '2026-11-27', counts: { messages: 0, directLineActivities: 0, botStates: 0, tickets: 0, ticketEvents: 0 } });

    const runs = await store.db.retentionRun.findMany({ orderBy: { day: 'asc' } });
    expect(runs.map((r) => [r.day, r.instance, r.counts])).toEqual([
      ['2026-11-26', 'test', { messages: 3, directLineActivities: 3, botStates: 5, tickets: 1, ticketEvents: 1 }],
      ['2026-11-27', 'test', { messages: 0, directLineActivities: 0, botStates: 0, tickets: 0, ticketEvents: 0 }],
    ]);
    expect(runs.every((r) => r.finishedAt !== null)).toBe(true);
  });

  test('when two instances run the job at the same moment, then exactly one of them purges, once', async () => {
    const at = new Date(TEST_NOW.getTime() + 10 * DAY);
    await seed(at, [2, 800]);
    const second = provider === 'postgresql' ? await openStore(database.url, { poolSize: 4 }) : store;
    try {
      const results = await Promise.all([
        runRetention({ store, policy: POLICY, timeZone: TZ, instance: 'a' }, at),
        runRetention({ store: second, policy: POLICY, timeZone: TZ, instance: 'b' }, at),
      ]);
      const ran = results.filter((r) => !r.skipped);
      expect(ran).toHaveLength(1);
      // The new 800-day-old message, and the first test's 729-day-old one (now 739); its ticket closed 1094 days before, now 1104.
      expect(ran[0]).toMatchObject({ day: '2026-12-06', counts: { messages: 2, directLineActivities: 2, tickets: 1, ticketEvents: 1 } });
      expect(await store.db.retentionRun.count({ where: { day: '2026-12-06' } })).toBe(1);
    } finally {
      if (second !== store) await second.close();
    }
  });

  test('when a run died half-way, then the same day is taken over once its lease expired', async () => {
    const at = new Date(TEST_NOW.getTime() + 20 * DAY);
    await store.db.retentionRun.create({ data: { day: '2026-12-16', instance: 'dead', startedAt: new Date(at.getTime() - 2 * 3600_000) } });
    expect(await runRetention({ store, policy: POLICY, timeZone: TZ, instance: 'c' }, at)).toMatchObject({ skipped: false, day: '2026-12-16' });
    expect(await store.db.retentionRun.findUniqueOrThrow({ where: { day: '2026-12-16' } })).toMatchObject({ instance: 'c', finishedAt: expect.any(Date) });
  });
});
