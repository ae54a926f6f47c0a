import { CrmStorage } from '../../src/store/crmStorage';
import type { MessageInsert } from '../../src/store/hotStore';
import { timeOrderedId } from '../../src/store/ids';
import { PROVIDERS, openTestStore } from '../support/db';

function message(conversationId: string, customerId: string, key: string, direction: 'INBOUND' | 'OUTBOUND'): MessageInsert {
  return {
    id: timeOrderedId(), conversationId, customerId, direction, activityType: 'message', activityId: key,
    inboundKey: direction === 'INBOUND' ? key : null, replyToId: null, text: key, attachments: null, channelData: null,
    locale: 'zh-CN', timestamp: new Date(), createdAt: new Date(),
  };
}

/**
 * A turn reads its state with the inbound activity and writes it with its replies: two round trips
 * (HotStore.beginTurn / finishTurn, held together by CrmStorage's turn slots).
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
    const first = await t.store.hot.beginTurn(message(conversationId, customerId, 'in-1', 'INBOUND'), 'turn/state');
    expect(first).toEqual({ inserted: 1, state: null });
    await t.store.hot.upsertState('turn/state', '{"step":1}', new Date());
    const retry = await t.store.hot.beginTurn(message(conversationId, customerId, 'in-1', 'INBOUND'), 'turn/state');
    expect(retry).toEqual({ inserted: 0, state: { key: 'turn/state', data: '{"step":1}', etag: 1 } });
    expect(await t.store.db.message.count({ where: { conversationId, activityId: 'in-1' } })).toBe(1);
  });

  test('when a turn ends, then its replies, the last-activity time and its state are stored together', async () => {
    const at = new Date(Date.now() + 3_600_000);
    await t.store.hot.finishTurn([message(conversationId, customerId, 'out-1', 'OUTBOUND')], conversationId, at, 'en-US', { key: 'turn/state', data: '{"step":2}' });
    expect(await t.store.hot.readState(['turn/state'])).toEqual([{ key: 'turn/state', data: '{"step":2}', etag: 2 }]);
    expect(await t.store.db.message.count({ where: { conversationId, activityId: 'out-1' } })).toBe(1);
    const conversation = await t.store.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(conversation.lastActivityAt.getTime()).toBe(at.getTime());
    expect(conversation.locale).toBe('en-US');
  });

  test('when a reply breaks a constraint, then neither the replies nor the state are stored', async () => {
    const bad = message(conversationId, 'no-such-customer', 'out-bad', 'OUTBOUND');
    await expect(t.store.hot.finishTurn([bad], conversationId, new Date(), null, { key: 'turn/state', data: '{"step":99}' })).rejects.toThrow();
    expect(await t.store.hot.readState(['turn/state'])).toEqual([{ key: 'turn/state', data: '{"step":2}', etag: 2 }]);
  });

  test('when a turn holds its state item, then the read ahead is handed out once, the write waits for the turn\'s end, and a delete drops it', async () => {
    const storage = new CrmStorage(t.store.hot);
    const slot = storage.openTurn('turn/state')!;
    expect(storage.openTurn('turn/state')).toBeUndefined(); // a concurrent turn on the same key reads and writes as usual
    slot.prefetched = { key: 'turn/state', data: '{"step":"ahead"}', etag: 7 };
    expect(await storage.read(['turn/state'])).toEqual({ 'turn/state': { step: 'ahead', eTag: '7' } });
    expect(await storage.read(['turn/state'])).toEqual({ 'turn/state': { step: 2, eTag: '2' } }); // the second read asks the store

    await storage.write({ 'turn/state': { step: 3, eTag: '*' } });
    expect(slot.staged).toBe('{"step":3}');
    expect(await t.store.hot.readState(['turn/state'])).toEqual([{ key: 'turn/state', data: '{"step":2}', etag: 2 }]); // not yet
    expect(await storage.read(['turn/state'])).toEqual({ 'turn/state': { step: 3, eTag: '*' } }); // the turn sees its own write

    await storage.delete(['turn/state']);
    expect(slot.staged).toBeUndefined();
    expect(await t.store.hot.readState(['turn/state'])).toEqual([]);
    storage.closeTurn('turn/state', slot);
    await storage.write({ 'turn/state': { step: 4 } }); // no turn holds it any more: written at once
    expect(await t.store.hot.readState(['turn/state'])).toEqual([{ key: 'turn/state', data: '{"step":4}', etag: 1 }]);
  });
});
