import crypto from 'node:crypto';
import { resealAll, staleCounts } from '../../src/features/privacy/reseal';
import { openStore, type Store } from '../../src/store/db';
import { DEVELOPMENT_KEY_RING, FieldCipher, parseKeyRing } from '../../src/store/fieldCrypto';
import { createTestDatabase, PROVIDERS, type TestDatabase } from '../support/db';

/*
 * The data migration (`npm run data:encrypt`) and key rotation (`npm run keys:rotate`): rows stored
 * in clear before the encryption, and rows sealed with an older key, are re-sealed with the current
 * key in batches, idempotently, and a run stopped half-way is finished by the next.
 */
const devB64 = DEVELOPMENT_KEY_RING.keys.get('dev')!.toString('base64');
const K2 = crypto.randomBytes(32).toString('base64');
const INDEX = DEVELOPMENT_KEY_RING.indexKey.toString('base64');
/** A key ring with k2 current and the development key still there to open older values. */
const rotated = () => new FieldCipher(parseKeyRing(`k2:${K2},dev:${devB64}`, INDEX));

describe.each(PROVIDERS)('re-sealing personal data (%s store)', (provider) => {
  let database: TestDatabase;
  let store: Store;
  const P = provider === 'postgresql' ? (n: number) => `$${n}` : () => '?';
  const raw = async (sql: string, ...args: unknown[]) => store.db.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...args);

  beforeAll(async () => {
    database = await createTestDatabase(provider, 'reseal');
    store = await openStore(database.url, { poolSize: 3 });
    // Three customers with an order and a message each, then written back in clear as before the encryption.
    for (let i = 1; i <= 3; i++) {
      const c = await store.db.customer.create({ data: { id: `cust-${i}`, name: `Name ${i}`, phone: `1380000000${i}`, email: `person${i}@example.com`, address: `Road ${i}, Shanghai` } });
      await store.db.order.create({
        data: { number: `KF20261130000${i}`, customerId: c.id, status: 'PAID', itemsTotal: 100, total: 100, shippingName: `Name ${i}`, shippingPhone: `1380000000${i}`, shippingAddress: `Road ${i}, Shanghai`, createdAt: new Date() },
      });
      const conv = await store.db.conversation.create({ data: { channelId: 'test', channelConversationId: `conv-${i}`, customerId: c.id, reference: {} } });
      await store.db.message.create({ data: { conversationId: conv.id, customerId: c.id, direction: 'INBOUND', activityType: 'message', text: `my phone is 1380000000${i}`, timestamp: new Date() } });
      await store.turns.upsertState(`state-${i}`, JSON.stringify({ phone: `1380000000${i}` }), new Date());
      await store.db.ticket.create({ data: { number: `T2026113000${i}`, customerId: c.id, category: 'repair', summary: 'Repair: kettle', contactPhone: `1380000000${i}` } });
    }
    await raw(`UPDATE "Customer" SET "name" = 'Name ' || substr("id", 6), "phone" = '1380000000' || substr("id", 6), "email" = 'person' || substr("id", 6) || '@example.com', "address" = 'Road ' || substr("id", 6) || ', Shanghai', "phoneIndex" = NULL, "emailIndex" = NULL`);
    await raw(`UPDATE "Order" SET "shippingPhone" = '13800000009'`);
    await raw(`UPDATE "Message" SET "text" = 'my phone is 13800000009'`);
    await raw(`UPDATE "BotState" SET "data" = '{"phone":"13800000009"}'`);
    await raw(`UPDATE "Ticket" SET "contactPhone" = '13800000009'`);
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  test('when rows stored in clear are sealed, then every value is sealed, reads give the clear values, lookups by phone work, and a second run changes nothing', async () => {
    expect(await staleCounts(store)).toEqual({ Customer: 3, Order: 3, Message: 3, DirectLineActivity: 0, BotState: 3, Ticket: 3 });
    expect(await store.db.customer.findFirst({ where: { phone: '13800000002' } })).toBeNull();

    const first = await resealAll(store, { batch: 2 });
    expect(first).toEqual({ Customer: 12, Order: 3, Message: 3, DirectLineActivity: 0, BotState: 3, Ticket: 3 });
    expect(await staleCounts(store)).toEqual({ Customer: 0, Order: 0, Message: 0, DirectLineActivity: 0, BotState: 0, Ticket: 0 });
    const rows = await raw(`SELECT "phone", "email", "phoneIndex" FROM "Customer" WHERE "id" = ${P(1)}`, 'cust-2');
    expect(rows[0].phone).toMatch(/^enc:v1:dev:/);
    expect(rows[0].phoneIndex).toEqual(expect.any(String));
    expect(await store.db.customer.findFirst({ where: { phone: '138 0000 0002' } })).toMatchObject({ id: 'cust-2', email: 'person2@example.com', address: 'Road 2, Shanghai' });
    expect((await store.db.message.findFirstOrThrow({ where: { customerId: 'cust-1' } })).text).toBe('my phone is 13800000009');
    expect(await store.turns.readState(['state-1'])).toEqual([expect.objectContaining({ data: '{"phone":"13800000009"}' })]);
    expect((await raw(`SELECT "contactPhone" FROM "Ticket" WHERE "customerId" = ${P(1)}`, 'cust-1'))[0].contactPhone).toMatch(/^enc:v1:dev:/);
    expect((await store.db.ticket.findFirstOrThrow({ where: { customerId: 'cust-1' } })).contactPhone).toBe('13800000009');

    expect(await resealAll(store)).toEqual({ Customer: 0, Order: 0, Message: 0, DirectLineActivity: 0, BotState: 0, Ticket: 0 });
  });

  test('when the key rotates and a rotation stops half-way, then the next run finishes it, and the old key is no longer needed', async () => {
    const next = await openStore(database.url, { poolSize: 3, cipher: rotated() });
    try {
      expect(await staleCounts(next)).toEqual({ Customer: 3, Order: 3, Message: 3, DirectLineActivity: 0, BotState: 3, Ticket: 3 });
      // Values sealed with the old key are read with the new ring.
      expect(await next.db.customer.findFirst({ where: { phone: '13800000003' } })).toMatchObject({ id: 'cust-3' });

      const stopped = resealAll(next, {
        batch: 1,
        progress: (table, n) => {
          if (table === 'Customer' && n >= 4) throw new Error('stopped');
        },
      });
      await expect(stopped).rejects.toThrow('stopped');
      expect((await staleCounts(next)).Customer).toBe(2);

      expect(await resealAll(next, { batch: 1 })).toEqual({ Customer: 8, Order: 9, Message: 3, DirectLineActivity: 0, BotState: 3, Ticket: 3 });
      expect(await staleCounts(next)).toEqual({ Customer: 0, Order: 0, Message: 0, DirectLineActivity: 0, BotState: 0, Ticket: 0 });
    } finally {
      await next.close();
    }
    const only = await openStore(database.url, { poolSize: 3, cipher: new FieldCipher(parseKeyRing(`k2:${K2}`, INDEX)) });
    try {
      expect(await only.db.customer.findUniqueOrThrow({ where: { id: 'cust-1' } })).toMatchObject({ phone: '13800000001', name: 'Name 1' });
      expect((await only.db.order.findFirstOrThrow({ where: { customerId: 'cust-1' } })).shippingPhone).toBe('13800000009');
      expect(await only.turns.readState(['state-2'])).toEqual([expect.objectContaining({ data: '{"phone":"13800000009"}' })]);
    } finally {
      await only.close();
    }
  });
});
