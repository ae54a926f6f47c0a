import { verify, type ShopWebhook } from '../../src/features/shop';
import { demoShopTransport } from '../../src/features/shop/demoShop';
import { TEST_NOW } from '../support/clock';
import { PROVIDERS } from '../support/db';
import { SECRET, withWebhookShop, type ShopTestBot } from '../shop/support';

/* A member redeems points in chat; the shop's webhook endpoint (a loopback server) is asked to issue the coupon. */
describe.each(PROVIDERS)('points for a coupon reach the shop (%s store)', (provider) => {
  const env = withWebhookShop(provider);
  const { shop, dispatcher } = env;
  let bot: ShopTestBot;
  beforeAll(() => (bot = env.bot));

  it('when a member redeems 1000 points and taps "confirm" twice, then the shop gets one signed coupon.requested webhook for the redemption and the ledger one redeem entry', async () => {
    const db = bot.app.store.db;
    await bot.event('customer.created', { customerId: 'S-5001', name: '李雷', locale: 'zh-CN' });
    const customer = await db.customer.findUniqueOrThrow({ where: { externalId: 'S-5001' } });
    await db.channelAccount.create({ data: { channelId: 'test', channelUserId: 'user-c-redeem', customerId: customer.id } });
    await bot.app.features.loyalty.ledger.adjust(customer.id, 1200, '老会员积分迁移', { type: 'agent', id: null });
    const c = { conversationId: 'c-redeem', locale: 'zh-CN' };

    expect((await bot.say({ ...c, text: '兑换优惠券' }))[0]).toContain('您有 1200 积分，可以兑换以下优惠券');
    expect((await bot.say({ ...c, text: '1000 积分换 ¥12.00 券' }))[0]).toContain('兑换后剩余 200 积分');
    const [done] = await bot.say({ ...c, text: '确认兑换' });
    const code = /PT[0-9A-F]{8}/.exec(done ?? '')?.[0];
    expect(done).toBe(`兑换成功！已请商城为您发放 ¥12.00 优惠券，券码 ${code}，有效期 30 天（至 2026年12月26日），稍后可在商城“我的优惠券”中查看。您现在有 200 积分。`);
    expect(await bot.say({ ...c, text: '确认兑换' })).toEqual([`这次兑换已经完成了（券码 ${code}），不会重复扣积分。您现在有 200 积分。`]);

    await dispatcher().runUntilIdle();
    await dispatcher().runUntilIdle();
    const coupons = shop.received.filter((r) => (JSON.parse(r.body) as ShopWebhook).type === 'coupon.requested');
    expect(coupons).toHaveLength(1);
    const webhook = JSON.parse(coupons[0]!.body) as ShopWebhook;
    expect(webhook.data).toEqual({ customerId: 'S-5001', code, amount: 1200, validDays: 30, points: 1000, reason: 'redemption' });
    expect(coupons[0]!.headers['idempotency-key']).toBe(webhook.id);
    const { headers, body } = coupons[0]!;
    expect(() => verify(SECRET, { timestamp: String(headers['x-kefu-timestamp']), signature: String(headers['x-kefu-signature']) }, Buffer.from(body), bot.clock.now(), 300)).not.toThrow();
    expect(await db.pointsEntry.findMany({ where: { customerId: customer.id, kind: 'redeem' } })).toEqual([expect.objectContaining({ delta: -1000, sourceKey: `redeem:${code}` })]);
    expect(await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).toMatchObject({ points: 200 });
  });
});

test('when the demo shop is asked for a coupon, then it accepts the webhook and says in the log that it issued it', async () => {
  const logged: unknown[] = [];
  const transport = demoShopTransport(() => { throw new Error('no shop event is sent for a coupon'); }, () => TEST_NOW, { info: (obj: unknown) => void logged.push(obj) });
  await transport({ id: 'evt-1', type: 'coupon.requested', occurredAt: TEST_NOW.toISOString(), data: { customerId: 'C1001', code: 'PT0000AAAA', amount: 500, validDays: 30, reason: 'redemption', points: 500 } });
  expect(logged).toEqual([{ customerId: 'C1001', code: 'PT0000AAAA', amount: 500, validDays: 30, reason: 'redemption' }]);
});
