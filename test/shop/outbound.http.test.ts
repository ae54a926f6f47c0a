import { retryDelayMs } from '../../src/events/dispatcher';
import { verify } from '../../src/features/shop';
import { PROVIDERS } from '../support/db';
import { newOrder, SECRET, ShopTestBot, withWebhookShop } from './support';

describe.each(PROVIDERS)('the customer\'s order changes reach the shop (%s store)', (provider) => {
  const env = withWebhookShop(provider);
  const { shop, dispatcher } = env;
  let bot: ShopTestBot;
  beforeAll(() => (bot = env.bot));
  const advance = (ms: number) => bot.clock.set(new Date(bot.clock.now().getTime() + ms));

  it('when a customer cancels a paid order while the shop is down for a while, across a restart, then they are told "submitted", the shop gets the request once it is back, with one idempotency key, and the customer hears its answer', async () => {
    await bot.event('customer.created', { customerId: 'S-2001', name: '韩梅梅', locale: 'zh-CN' });
    await bot.event('order.created', newOrder('KF200000000001', 'S-2001'), { occurredAt: '2026-11-26T01:00:00Z' });
    await bot.event('order.paid', { orderNumber: 'KF200000000001' }, { occurredAt: '2026-11-26T01:05:00Z' });
    const customer = await bot.app.store.db.customer.findUniqueOrThrow({ where: { externalId: 'S-2001' } });
    await bot.app.store.db.channelAccount.create({ data: { channelId: 'test', channelUserId: 'user-c-cancel', customerId: customer.id } });

    const c = { conversationId: 'c-cancel', locale: 'zh-CN' };
    const [confirm] = await bot.say({ ...c, text: '取消订单KF200000000001' });
    expect(confirm).toContain('确定要取消订单 KF200000000001');
    expect(await bot.say({ ...c, text: '确定取消' })).toEqual(['已提交订单 KF200000000001 的取消申请。商家确认后（通常很快）我会在这里告诉您结果；取消成功后，您支付的 ¥457.00 将原路退回。']);
    expect(await bot.app.store.db.order.findUniqueOrThrow({ where: { number: 'KF200000000001' } })).toMatchObject({ status: 'PAID', cancelRequestedAt: bot.clock.now() });

    shop.failNext = 2;
    await dispatcher().runUntilIdle();
    advance(retryDelayMs(1));
    await dispatcher().runUntilIdle();
    expect(shop.received.map((r) => r.status)).toEqual([503, 503]);

    await bot.restart();
    expect(await dispatcher().runUntilIdle()).toBe(0); // the next attempt is not due yet
    advance(retryDelayMs(2));
    await dispatcher().runUntilIdle();
    advance(retryDelayMs(3));
    await dispatcher().runUntilIdle();
    expect(shop.received.map((r) => r.status)).toEqual([503, 503, 200]);
    const bodies = shop.received.map((r) => JSON.parse(r.body) as { id: string; type: string; data: unknown });
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(bodies[2]).toMatchObject({ type: 'order.cancel_requested', data: { orderNumber: 'KF200000000001', customerId: 'S-2001' } });
    expect(shop.received.map((r) => r.headers['idempotency-key'])).toEqual([bodies[0]!.id, bodies[0]!.id, bodies[0]!.id]);
    const last = shop.received[2]!;
    expect(() => verify(SECRET, { timestamp: String(last.headers['x-kefu-timestamp']), signature: String(last.headers['x-kefu-signature']) }, Buffer.from(last.body), bot.clock.now(), 300)).not.toThrow();

    const replies = bot.listener.for('c-cancel').length;
    const answer = await bot.event('order.cancelled', { orderNumber: 'KF200000000001' });
    expect(answer.json.outcome).toBe('applied');
    await dispatcher().runUntilIdle();
    await bot.listener.waitFor(replies + 1, 'c-cancel');
    expect(bot.listener.texts('c-cancel').slice(replies)).toEqual(['商家已确认取消订单 KF200000000001。您支付的 ¥457.00 将原路退回，通常 1-3 个工作日到账。']);
    expect((await bot.app.store.db.order.findUniqueOrThrow({ where: { number: 'KF200000000001' } })).status).toBe('CANCELLED');
    advance(retryDelayMs(10));
    await dispatcher().runUntilIdle();
    expect(shop.received).toHaveLength(3);
  });

  it('when the shop refuses a cancellation, then the customer is told why in their language and the order stays paid', async () => {
    await bot.event('customer.created', { customerId: 'S-2002', name: 'Lucy', locale: 'en-US' });
    await bot.event('order.created', newOrder('KF200000000002', 'S-2002'), { occurredAt: '2026-11-26T01:00:00Z' });
    await bot.event('order.paid', { orderNumber: 'KF200000000002' }, { occurredAt: '2026-11-26T01:05:00Z' });
    const customer = await bot.app.store.db.customer.findUniqueOrThrow({ where: { externalId: 'S-2002' } });
    await bot.app.store.db.channelAccount.create({ data: { channelId: 'test', channelUserId: 'user-c-refused', customerId: customer.id } });
    const c = { conversationId: 'c-refused', locale: 'en-US' };
    await bot.say({ ...c, text: 'cancel order KF200000000002' });
    expect((await bot.say({ ...c, text: 'Yes, cancel it' }))[0]).toMatch(/^Your request to cancel order KF200000000002 has been submitted/);
    await dispatcher().runUntilIdle();
    const replies = bot.listener.for('c-refused').length;
    await bot.event('order.cancel_refused', { orderNumber: 'KF200000000002', reason: 'it has already left our warehouse' });
    await dispatcher().runUntilIdle();
    await bot.listener.waitFor(replies + 1, 'c-refused');
    expect(bot.listener.texts('c-refused').slice(replies)).toEqual(['Sorry, the shop could not cancel order KF200000000002: it has already left our warehouse. Once it arrives you can return it within the return window.']);
    expect(await bot.app.store.db.order.findUniqueOrThrow({ where: { number: 'KF200000000002' } })).toMatchObject({ status: 'PAID', cancelRequestedAt: null });
  });
});

describe.each(PROVIDERS)('with no SHOP_WEBHOOK_URL, the demo shop answers (%s store)', (provider) => {
  const bot = new ShopTestBot(provider, { DB_SEED_ON_START: 'true' });
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  it('when a demo customer cancels a paid order, then they are told "submitted" and then that the shop cancelled it, and the order is cancelled', async () => {
    const order = await bot.app.store.db.order.findUniqueOrThrow({ where: { number: 'KF202611230022' }, include: { customer: true } });
    expect(order.status).toBe('PAID');
    await bot.app.store.db.channelAccount.create({ data: { channelId: 'test', channelUserId: 'user-c-demo', customerId: order.customerId } });
    expect(order.customer.locale).toBe('zh-CN'); // the saved language: proactive messages use it
    const c = { conversationId: 'c-demo', locale: 'zh-CN' };
    await bot.say({ ...c, text: '取消订单KF202611230022' });
    const texts = await bot.say({ ...c, text: '确定取消' }, 2);
    expect(texts).toEqual([
      '已提交订单 KF202611230022 的取消申请。商家确认后（通常很快）我会在这里告诉您结果；取消成功后，您支付的 ¥457.00 将原路退回。',
      '商家已确认取消订单 KF202611230022。您支付的 ¥457.00 将原路退回，通常 1-3 个工作日到账。',
    ]);
    expect((await bot.app.store.db.order.findUniqueOrThrow({ where: { number: 'KF202611230022' } })).status).toBe('CANCELLED');
  });
});
