import { timeOrderedId } from '../../src/store/ids';
import type { MessageRow } from '../../src/store/turnStore';
import { openTestStore } from '../support/db';

function reply(conversationId: string, customerId: string, key: string, text: string): MessageRow {
  return {
    id: timeOrderedId(), conversationId, customerId, direction: 'OUTBOUND', senderType: 'bot', senderId: null, activityType: 'message', activityId: key,
    inboundKey: null, replyToId: null, text, attachments: null, channelData: null, locale: 'zh-CN', timestamp: new Date(), createdAt: new Date(),
  };
}

/**
 * SQLite commits the turns that start or end together in one transaction (src/store/groupCommit.ts).
 * What a turn is told was stored must be stored, and what it is told failed must not be there, even
 * when the disk fills in the middle of a group.
 */
describe('turns that share a commit (SQLite)', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>;
  let conversationId: string;
  let customerId: string;
  const pragma = async (sql: string) => Number(Object.values((await t.store.db.$queryRawUnsafe<Record<string, unknown>[]>(sql))[0] ?? {})[0]);

  beforeAll(async () => {
    t = await openTestStore('sqlite', 'groupcommit');
    const customer = await t.store.db.customer.create({ data: { name: 'Group' } });
    const conversation = await t.store.db.conversation.create({ data: { channelId: 'test', channelConversationId: 'group', customerId: customer.id, reference: {} } });
    customerId = customer.id;
    conversationId = conversation.id;
  }, 60_000);
  afterAll(() => t.close());

  test('when the disk fills while a group of turns is written, then every turn told "stored" is stored, every turn told "failed" is not, and the next turns are stored once there is room', async () => {
    await pragma(`PRAGMA max_page_count = ${await pragma('PRAGMA page_count')}`);
    const long = '满'.repeat(3000);
    const ends = Array.from({ length: 12 }, (_, i) =>
      t.store.turns.finishTurn({ replies: [reply(conversationId, customerId, `full-${i}`, long)], conversationId, at: new Date(), locale: null, state: { key: `full/${i}`, data: '{}' } }),
    );
    const results = await Promise.allSettled(ends);
    await pragma('PRAGMA max_page_count = 1073741823');

    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    expect(failed.length).toBeGreaterThan(0);
    for (const i of failed) expect(String((results[i] as PromiseRejectedResult).reason)).toMatch(/full/i);
    const stored = await t.store.db.message.findMany({ where: { activityId: { startsWith: 'full-' } }, select: { activityId: true } });
    const states = await t.store.turns.readState(results.map((_, i) => `full/${i}`));
    const told = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(stored.map((m) => Number(m.activityId!.slice(5))).sort((a, b) => a - b)).toEqual(told);
    expect(states.map((s) => Number(s.key.slice(5))).sort((a, b) => a - b)).toEqual(told);

    await Promise.all([0, 1, 2].map((i) => t.store.turns.finishTurn({ replies: [reply(conversationId, customerId, `room-${i}`, long)], conversationId, at: new Date(), locale: null })));
    expect(await t.store.db.message.count({ where: { activityId: { startsWith: 'room-' } } })).toBe(3);
  });

  test('when a turn starts in the same moment as others end, then its start sees what they stored, and a retry of its message is stored once', async () => {
    const inbound = { ...reply(conversationId, customerId, 'same-moment', 'hi'), direction: 'INBOUND' as const, senderType: 'customer' as const, inboundKey: 'same-moment' };
    const [, begun, retried] = await Promise.all([
      t.store.turns.finishTurn({ replies: [], conversationId, at: new Date(), locale: null, state: { key: 'moment/state', data: '{"step":7}' } }),
      t.store.turns.beginTurn(inbound, 'moment/state'),
      t.store.turns.beginTurn({ ...inbound, id: timeOrderedId() }, 'moment/state'),
    ]);
    expect(begun.inserted).toBe(true);
    expect(begun.state).toEqual({ key: 'moment/state', data: '{"step":7}', etag: 1 });
    expect(retried.inserted).toBe(false);
    expect(await t.store.db.message.count({ where: { inboundKey: 'same-moment' } })).toBe(1);
  });
});
