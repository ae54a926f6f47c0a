import { timeOrderedId } from '../../src/store/ids';
import type { MessageRow } from '../../src/store/turnStore';
import { openTestStore } from '../support/db';

/**
 * On SQLite, Prisma and the turn store share one connection (src/store/sqliteConnection.ts). A
 * connection has one transaction at a time, and whatever runs on it while a transaction is open
 * belongs to that transaction: the turn's writes must wait for Prisma's transactions to end, never
 * join them (a rollback would take a customer's reply with it).
 */
describe('Prisma transactions and the turn store on one SQLite connection', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>;
  let conversationId: string;
  let customerId: string;

  beforeAll(async () => {
    t = await openTestStore('sqlite', 'sqlitetx');
    const customer = await t.store.db.customer.create({ data: { name: 'One connection' } });
    customerId = customer.id;
    conversationId = (await t.store.db.conversation.create({ data: { channelId: 'test', channelConversationId: 'one-conn', customerId, reference: {} } })).id;
  });
  afterAll(() => t.close());

  const reply = (key: string): MessageRow => ({
    id: timeOrderedId(), conversationId, customerId, direction: 'OUTBOUND', senderType: 'bot', senderId: null, activityType: 'message', activityId: key, inboundKey: null,
    replyToId: null, text: key, attachments: null, channelData: null, locale: 'zh-CN', timestamp: new Date(), createdAt: new Date(),
  });

  test('when a turn ends while a Prisma transaction is open and the transaction rolls back, then the turn\'s reply is still stored', async () => {
    let turnWrite: Promise<void> | undefined;
    await expect(
      t.store.db.$transaction(async (tx) => {
        await tx.customer.create({ data: { externalId: 'Rolled back' } });
        turnWrite = t.store.turns.finishTurn({ replies: [reply('during-rollback')], conversationId, at: new Date(), locale: null });
        // Give the turn's write every chance to run now, inside the transaction (it must not).
        await new Promise((resolve) => setImmediate(resolve));
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await turnWrite;
    expect(await t.store.db.customer.count({ where: { externalId: 'Rolled back' } })).toBe(0);
    expect(await t.store.db.message.count({ where: { activityId: 'during-rollback' } })).toBe(1);
  });

  test('when a transaction reads, then writes, while turns keep ending, then both the transaction and every turn commit', async () => {
    const turns = Array.from({ length: 20 }, (_, i) => t.store.turns.finishTurn({ replies: [reply(`busy-${i}`)], conversationId, at: new Date(), locale: null }));
    await t.store.db.$transaction(async (tx) => {
      expect(await tx.customer.findFirst({ where: { externalId: 'Read then write' } })).toBeNull();
      await tx.customer.create({ data: { externalId: 'Read then write' } });
    });
    await Promise.all(turns);
    expect(await t.store.db.customer.count({ where: { externalId: 'Read then write' } })).toBe(1);
    expect(await t.store.db.message.count({ where: { activityId: { startsWith: 'busy-' } } })).toBe(20);
  });
});
