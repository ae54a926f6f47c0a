import { BotStateStorage } from '../../src/store/botStateStorage';
import { openStore } from '../../src/store/db';
import type { MessageRow } from '../../src/store/turnStore';
import { timeOrderedId } from '../../src/store/ids';
import { PROVIDERS, openTestStore } from '../support/db';

function message(conversationId: string, customerId: string, key: string, direction: 'INBOUND' | 'OUTBOUND'): MessageRow {
  return {
    id: timeOrderedId(), conversationId, customerId, direction, senderType: direction === 'INBOUND' ? 'customer' : 'bot', senderId: null, activityType: 'message', activityId: key,
    inboundKey: direction === 'INBOUND' ? key : null, replyToId: null, text: key, attachments: null, channelData: null,
    locale: 'zh-CN', timestamp: new Date(), createdAt: new Date(),
  };
}

/**
 * A turn reads its state with the inbound activity and writes it with its replies: two round trips
 * (TurnStore.beginTurn / finishTurn, joined by BotStateStorage's turn items).
 */
describe.each(PROVIDERS)('a turn\'s writes (%s)', (provider) => {
  let t: Awaited<ReturnType<typeof openTestStore>>;
  let conversationId: string;
  let customerId: string;

  beforeAll(async () => {
    t = await openTestStore(provider, 'turnwrites');
    const customer = await t.store.db.customer.create({ data: { name: 'Turn' } });
    const conversation = await t.store.db.conversation.create({
      data: { channelId: 'test', channelConversationId: 'turn', customerId: customer.id, reference: {} },
    });
    customerId = customer.id;
    conversationId = conversation.id;
  }, 60_000);
  afterAll(() => t.close());

  test('when a turn begins, then the inbound activity is stored and the state comes back with it; a retry is stored once', async () => {
    const first = await t.store.turns.beginTurn(message(conversationId, customerId, 'in-1', 'INBOUND'), 'turn/state');
    // The conversation comes back as it is now (another instance may have changed its owner).
    const now = { customerId, customerLocale: null, verified: false, verifiedUntil: null, status: 'BOT', agentId: null, queue: null, surveyOpen: false, ticketWaiting: false, careSent: false };
    expect(first).toEqual({ inserted: true, state: null, conversation: now });
    await t.store.turns.upsertState('turn/state', '{"step":1}', new Date());
    const retry = await t.store.turns.beginTurn(message(conversationId, customerId, 'in-1', 'INBOUND'), 'turn/state');
    expect(retry).toEqual({ inserted: false, state: { key: 'turn/state', data: '{"step":1}', etag: 1 }, conversation: now });
    expect(await t.store.db.message.count({ where: { conversationId, activityId: 'in-1' } })).toBe(1);
  });

  test("when the conversation's shop sign-in has a lifetime, then the turn's start reads it with the rest (the same statement), to the millisecond", async () => {
    const until = new Date(Date.UTC(2026, 10, 26, 2, 0, 5, 123));
    const shopCustomer = await t.store.db.customer.create({ data: { name: 'Signed in', externalId: `shop-${provider}` } });
    const signedIn = await t.store.db.conversation.create({ data: { channelId: 'test', channelConversationId: 'turn-signed-in', customerId: shopCustomer.id, reference: {}, verifiedUntil: until } });
    const start = await t.store.turns.beginTurn(message(signedIn.id, shopCustomer.id, 'in-signed-1', 'INBOUND'), null);
    expect(start.conversation).toMatchObject({ verified: true, verifiedUntil: until });
  });

  test('when a survey waits for an answer in the conversation, then the turn\'s start says so, and no longer once it is answered to the end', async () => {
    const survey = await t.store.db.survey.create({
      data: { customerId, conversationId, trigger: 'manual', channelId: 'test', locale: 'en-US', status: 'SENT', sendAfter: new Date(), sentAt: new Date(), causeKey: `turnWrites-${conversationId}` },
    });
    const waiting = await t.store.turns.beginTurn(message(conversationId, customerId, 'in-survey-1', 'INBOUND'), null);
    expect(waiting.conversation?.surveyOpen).toBe(true);
    await t.store.db.survey.update({ where: { id: survey.id }, data: { status: 'ANSWERED', stage: 'done' } });
    const answered = await t.store.turns.beginTurn(message(conversationId, customerId, 'in-survey-2', 'INBOUND'), null);
    expect(answered.conversation?.surveyOpen).toBe(false);
  });

  test('when a turn ends, then its replies, the last-activity time and its state are stored together', async () => {
    const at = new Date(Date.now() + 3_600_000);
    await t.store.turns.finishTurn({ replies: [message(conversationId, customerId, 'out-1', 'OUTBOUND')], conversationId, at, locale: 'en-US', state: { key: 'turn/state', data: '{"step":2}' } });
    expect(await t.store.turns.readState(['turn/state'])).toEqual([{ key: 'turn/state', data: '{"step":2}', etag: 2 }]);
    expect(await t.store.db.message.count({ where: { conversationId, activityId: 'out-1' } })).toBe(1);
    const conversation = await t.store.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(conversation.lastActivityAt.getTime()).toBe(at.getTime());
    expect(conversation.locale).toBe('en-US');
  });

  test('when a reply breaks a constraint, then neither the replies nor the state are stored', async () => {
    const bad = message(conversationId, 'no-such-customer', 'out-bad', 'OUTBOUND');
    // Read the failure's message, not its class: better-sqlite3 raises its errors with the error class
    // of the first test file that loaded it in this jest worker, which is no Error of this file's realm
    // (so `rejects.toThrow()` reports "did not throw" whenever another file ran first).
    const failure = await t.store.turns
      .finishTurn({ replies: [bad], conversationId, at: new Date(), locale: null, state: { key: 'turn/state', data: '{"step":99}' } })
      .then(() => 'stored', (err: unknown) => String((err as { message?: unknown }).message));
    expect(failure).toMatch(/foreign key/i);
    expect(await t.store.turns.readState(['turn/state'])).toEqual([{ key: 'turn/state', data: '{"step":2}', etag: 2 }]);
  });

  test('when a turn has joined its state item, then the read-ahead copy is handed out once, the write waits for the turn\'s end, and a delete drops it', async () => {
    const storage = new BotStateStorage(t.store.turns);
    const item = storage.joinTurn('turn/state')!;
    expect(storage.joinTurn('turn/state')).toBeUndefined(); // a concurrent turn on the same key reads and writes as usual
    item.readAhead = { key: 'turn/state', data: '{"step":"ahead"}', etag: 7 };
    expect(await storage.read(['turn/state'])).toEqual({ 'turn/state': { step: 'ahead', eTag: '7' } });
    expect(await storage.read(['turn/state'])).toEqual({ 'turn/state': { step: 2, eTag: '2' } }); // the second read asks the store

    await storage.write({ 'turn/state': { step: 3, eTag: '*' } });
    expect(item.pendingWrite).toBe('{"step":3}');
    expect(await t.store.turns.readState(['turn/state'])).toEqual([{ key: 'turn/state', data: '{"step":2}', etag: 2 }]); // not yet
    expect(await storage.read(['turn/state'])).toEqual({ 'turn/state': { step: 3, eTag: '*' } }); // the turn sees its own write

    await storage.delete(['turn/state']);
    expect(item.pendingWrite).toBeUndefined();
    expect(await t.store.turns.readState(['turn/state'])).toEqual([]);
    storage.leaveTurn('turn/state', item);
    await storage.write({ 'turn/state': { step: 4 } }); // no turn holds it any more: written at once
    expect(await t.store.turns.readState(['turn/state'])).toEqual([{ key: 'turn/state', data: '{"step":4}', etag: 1 }]);
  });

  describe('many turns at once (PostgreSQL batches them: one statement for the turns that waited; SQLite commits them together)', () => {
    const others: { conversationId: string; customerId: string }[] = [];

    beforeAll(async () => {
      for (let i = 0; i < 6; i++) {
        const customer = await t.store.db.customer.create({ data: { name: `Batch ${i}` } });
        const conversation = await t.store.db.conversation.create({
          data: { channelId: 'test', channelConversationId: `batch-${i}`, customerId: customer.id, reference: {} },
        });
        others.push({ conversationId: conversation.id, customerId: customer.id });
      }
      await t.store.turns.upsertState('batch/2', '{"step":"stored"}', new Date());
    });

    test('when turns begin together, then every inbound activity is stored once and each turn gets its own state', async () => {
      const begun = await Promise.all([
        ...others.map((o, i) => t.store.turns.beginTurn(message(o.conversationId, o.customerId, `b-in-${i}`, 'INBOUND'), `batch/${i}`)),
        // the channel retries conversation 3's activity while the first copy is still on its way
        t.store.turns.beginTurn(message(others[3].conversationId, others[3].customerId, 'b-in-3', 'INBOUND'), 'batch/3'),
      ]);
      expect(begun.map((b) => b.inserted).sort()).toEqual([false, true, true, true, true, true, true]);
      expect(begun[2].state).toEqual({ key: 'batch/2', data: '{"step":"stored"}', etag: 1 });
      expect(begun.filter((b, i) => i !== 2).map((b) => b.state)).toEqual([null, null, null, null, null, null]);
      const stored = await t.store.db.message.findMany({ where: { activityId: { startsWith: 'b-in-' } }, select: { activityId: true, conversationId: true } });
      expect(stored.map((m) => m.activityId).sort()).toEqual(['b-in-0', 'b-in-1', 'b-in-2', 'b-in-3', 'b-in-4', 'b-in-5']);
      expect(stored.find((m) => m.activityId === 'b-in-4')?.conversationId).toBe(others[4].conversationId);
    });

    test('when turns end together, then each one\'s replies, state and last-activity time are stored, and one bad turn fails alone', async () => {
      const at = new Date(Date.now() + 7_200_000);
      const results = await Promise.allSettled(
        others.map((o, i) =>
          t.store.turns.finishTurn({
            replies: [message(o.conversationId, i === 4 ? 'no-such-customer' : o.customerId, `b-out-${i}`, 'OUTBOUND')],
            conversationId: o.conversationId,
            at,
            locale: 'en-US',
            state: { key: `batch/${i}`, data: `{"step":${i}}` },
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      const replies = await t.store.db.message.findMany({ where: { activityId: { startsWith: 'b-out-' } }, select: { activityId: true } });
      expect(replies.map((m) => m.activityId).sort()).toEqual(['b-out-0', 'b-out-1', 'b-out-2', 'b-out-3', 'b-out-5']);
      const states = await t.store.turns.readState(others.map((_, i) => `batch/${i}`));
      expect(Object.fromEntries(states.map((r) => [r.key, [r.data, r.etag]]))).toEqual({
        'batch/0': ['{"step":0}', 1], 'batch/1': ['{"step":1}', 1], 'batch/2': ['{"step":2}', 2], 'batch/3': ['{"step":3}', 1], 'batch/5': ['{"step":5}', 1],
      });
      const conversations = await t.store.db.conversation.findMany({ where: { id: { in: others.map((o) => o.conversationId) } } });
      const touched = conversations.filter((c) => c.lastActivityAt.getTime() === at.getTime()).map((c) => c.id).sort();
      expect(touched).toEqual(others.filter((_, i) => i !== 4).map((o) => o.conversationId).sort());
    });

    test('when the store closes while turns are still queued, then they are written before it closes', async () => {
      const second = await openStore(t.database.url, { poolSize: 2 });
      const writes = others.map((o, i) =>
        second.turns.finishTurn({ replies: [message(o.conversationId, o.customerId, `closing-${i}`, 'OUTBOUND')], conversationId: o.conversationId, at: new Date(), locale: null }),
      );
      await second.close();
      await Promise.all(writes);
      expect(await t.store.db.message.count({ where: { activityId: { startsWith: 'closing-' } } })).toBe(others.length);
    });

    test('when two turns of one conversation end together, then both are stored, the later state last', async () => {
      const [o] = others;
      const first = new Date(Date.now() + 10_800_000);
      const second = new Date(first.getTime() + 1000);
      await Promise.all([
        t.store.turns.finishTurn({ replies: [], conversationId: others[1].conversationId, at: first, locale: null }), // keeps a batch under way, so the next two wait together
        t.store.turns.finishTurn({ replies: [message(o.conversationId, o.customerId, 'twice-1', 'OUTBOUND')], conversationId: o.conversationId, at: first, locale: null, state: { key: 'batch/0', data: '{"step":"a"}' } }),
        t.store.turns.finishTurn({ replies: [message(o.conversationId, o.customerId, 'twice-2', 'OUTBOUND')], conversationId: o.conversationId, at: second, locale: null, state: { key: 'batch/0', data: '{"step":"b"}' } }),
      ]);
      expect(await t.store.turns.readState(['batch/0'])).toEqual([{ key: 'batch/0', data: '{"step":"b"}', etag: 3 }]);
      expect(await t.store.db.message.count({ where: { activityId: { in: ['twice-1', 'twice-2'] } } })).toBe(2);
      const conversation = await t.store.db.conversation.findUniqueOrThrow({ where: { id: o.conversationId } });
      expect(conversation.lastActivityAt.getTime()).toBe(second.getTime());
    });
  });
});
