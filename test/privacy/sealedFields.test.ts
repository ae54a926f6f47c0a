import { LocalBroadcast } from '../../src/events/broadcast';
import { ChannelLog } from '../../src/features/webchat/directline/log';
import type { Store } from '../../src/store/db';
import { openTestStore, PROVIDERS } from '../support/db';

/* The store's client seals personal fields on every kind of write and opens them on every read, nested or not. */
describe.each(PROVIDERS)('sealed fields through the store (%s)', (provider) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await openTestStore(provider, 'sealed'));
  });
  afterAll(() => close());

  const rawCustomer = async (id: string) =>
    (await store.db.$queryRawUnsafe<Record<string, string | null>[]>(`SELECT "name", "phone", "email", "address", "phoneIndex" FROM "Customer" WHERE "id" = ${provider === 'postgresql' ? '$1' : '?'}`, id))[0];

  test('when customers and orders are written by nested creates, upserts and updates, then every personal field is sealed in the row and clear when read, also through relations', async () => {
    const account = await store.db.channelAccount.create({
      data: { channelId: 'test', channelUserId: 'nested', customer: { create: { name: '李雷', phone: '+86 138 0013 8000', orders: { create: { number: 'KF202611300001', status: 'PAID', itemsTotal: 1, total: 1, shippingName: '李雷', shippingPhone: '13800138000', shippingAddress: '北京市海淀区中关村大街1号', createdAt: new Date() } } } } },
      include: { customer: { include: { orders: true } } },
    });
    expect(account.customer).toMatchObject({ name: '李雷', phone: '+86 138 0013 8000', orders: [{ shippingAddress: '北京市海淀区中关村大街1号', shippingName: '李雷' }] });
    const raw = await rawCustomer(account.customerId);
    expect(raw.name).toMatch(/^enc:v1:dev:/);
    expect(raw.phone).toMatch(/^enc:v1:dev:/);
    expect(raw.phoneIndex).toEqual(expect.any(String));

    await store.db.customer.upsert({ where: { externalId: 'S1' }, create: { externalId: 'S1', email: 'Han.Meimei@Example.com' }, update: {} });
    await store.db.customer.update({ where: { externalId: 'S1' }, data: { address: { set: '上海市徐汇区漕溪北路88号' } } });
    expect(await store.db.customer.findFirst({ where: { email: 'han.meimei@example.com' }, select: { externalId: true, address: true } })).toEqual({ externalId: 'S1', address: '上海市徐汇区漕溪北路88号' });
    expect((await rawCustomer((await store.db.customer.findUniqueOrThrow({ where: { externalId: 'S1' } })).id)).address).toMatch(/^enc:v1:/);

    // Lookups through a relation use the blind index too.
    const orders = await store.db.order.findMany({ where: { customer: { phone: '13800138000' } }, select: { number: true, customer: { select: { name: true } } } });
    expect(orders).toEqual([{ number: 'KF202611300001', customer: { name: '李雷' } }]);
    expect(await store.db.order.count({ where: { customer: { is: { OR: [{ phone: '13800138000' }, { email: 'nobody@example.com' }] } } } })).toBe(1);
  });

  test('when a query compares a sealed field other than by equality of an indexed one, then it is refused with the reason instead of matching nothing', async () => {
    await expect(store.db.customer.findMany({ where: { name: '李雷' } })).rejects.toThrow(/Customer\.name is sealed/);
    await expect(store.db.customer.findMany({ where: { phone: { contains: '138' } } })).rejects.toThrow(/Customer\.phone is sealed/);
    await expect(store.db.message.count({ where: { text: { contains: 'x' } } })).rejects.toThrow(/Message\.text is sealed/);
    expect(await store.db.customer.count({ where: { name: null } })).toBe(1);
  });

  test('when the web chat logs a customer\'s post, then its JSON is sealed in the Direct Line log and the client reads it back clear', async () => {
    const log = new ChannelLog(store.db, store.provider, new LocalBroadcast(), 100, store.cipher);
    await log.getOrCreate('dl-sealed', 'user-1');
    const post = { type: 'message', channelId: 'directline', conversation: { id: 'dl-sealed' }, from: { id: 'user-1' }, text: '我的电话是 13955556666' };
    expect(await log.append('dl-sealed', post, 'client-1')).toMatchObject({ text: '我的电话是 13955556666' });
    expect(await log.append('dl-sealed', post, 'client-1')).toMatchObject({ text: '我的电话是 13955556666' });
    const raw = await store.db.$queryRawUnsafe<{ activity: string }[]>(`SELECT "activity" FROM "DirectLineActivity" WHERE "conversationId" = 'dl-sealed'`);
    expect(raw).toHaveLength(1);
    expect(raw[0].activity).toMatch(/^enc:v1:dev:/);
    expect((await log.after('dl-sealed', undefined)).activities.map((a) => a.text)).toEqual(['我的电话是 13955556666']);
  });
});
