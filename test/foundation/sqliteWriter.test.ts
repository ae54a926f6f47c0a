import type { MessageInsert } from '../../src/store/hotStore';
import { timeOrderedId } from '../../src/store/ids';
import { startSqliteWriter } from '../../src/store/sqliteWriter';
import { openTestStore } from '../support/db';

function message(conversationId: string, customerId: string | null, key: string, direction: 'INBOUND' | 'OUTBOUND' = 'INBOUND'): MessageInsert {
  return {
    id: timeOrderedId(),
    conversationId,
    customerId: customerId as string,
    direction,
    activityType: 'message',
    activityId: key,
    inboundKey: direction === 'INBOUND' ? key : null,
    replyToId: null,
    text: key,
    attachments: null,
    channelData: null,
    locale: 'en-US',
    timestamp: new Date(),
    createdAt: new Date(),
  };
}

describe('SQLite writes on a worker thread', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>;
  let conversationId: string;
  let customerId: string;

  beforeAll(async () => {
    t = await openTestStore('sqlite', 'writer');
    const customer = await t.store.db.customer.create({ data: { name: 'Writer' } });
    const conversation = await t.store.db.conversation.create({
      data: { channelId: 'test', channelConversationId: 'writer', customerId: customer.id, reference: {} },
    });
    customerId = customer.id;
    conversationId = conversation.id;
  });
  afterAll(() => t.close());

  test('when the store writes, then it writes on the worker and the next read, on any connection, sees the row', async () => {
    expect(t.store.hot.backgroundWrites).toBe(true);
    expect(await t.store.hot.insertMessages([message(conversationId, customerId, 'seen')])).toBe(1);
    expect(await t.store.db.message.count({ where: { conversationId, activityId: 'seen' } })).toBe(1);
    await t.store.hot.upsertState('writer/state', '{"step":1}', new Date());
    expect(await t.store.hot.readState(['writer/state'])).toEqual([{ key: 'writer/state', data: '{"step":1}', etag: 1 }]);
  });

  test('when the same inbound activity is written twice, then the second write reports 0 rows (the retry is recognized)', async () => {
    expect(await t.store.hot.insertMessages([message(conversationId, customerId, 'twice')])).toBe(1);
    expect(await t.store.hot.insertMessages([message(conversationId, customerId, 'twice')])).toBe(0);
  });

  test('when a write breaks a constraint, then it rejects with the driver\'s error code and writes nothing', async () => {
    const write = t.store.hot.insertMessages([message('no-such-conversation', customerId, 'orphan')]);
    await expect(write).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    expect(await t.store.db.message.count({ where: { activityId: 'orphan' } })).toBe(0);
  });

  test('when one row of a turn\'s replies breaks a constraint, then none of the replies is stored, the conversation is not touched and the held state is not written', async () => {
    const before = await t.store.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    const replies = [message(conversationId, customerId, 'reply-ok', 'OUTBOUND'), message(conversationId, 'no-such-customer', 'reply-bad', 'OUTBOUND')];
    await expect(t.store.hot.finishTurn(replies, conversationId, new Date(Date.now() + 60_000), 'zh-CN', { key: 'writer/held', data: '{}' })).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT_FOREIGNKEY',
    });
    expect(await t.store.db.message.count({ where: { activityId: { in: ['reply-ok', 'reply-bad'] } } })).toBe(0);
    const after = await t.store.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(after.lastActivityAt).toEqual(before.lastActivityAt);
    expect(after.locale).toEqual(before.locale);
    expect(await t.store.hot.readState(['writer/held'])).toEqual([]);
  });

  test('when the writer is closed, then a later write is refused with a clear error', async () => {
    const writer = await startSqliteWriter(t.database.url.slice('file:'.length));
    expect(await writer.pragma('foreign_keys')).toEqual([{ foreign_keys: 1 }]);
    await writer.close();
    await expect(writer.run({ sql: 'SELECT 1', args: [] })).rejects.toThrow(/closed/);
  });
});
