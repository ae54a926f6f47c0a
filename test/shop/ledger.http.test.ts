import { PROVIDERS } from '../support/db';
import { newOrder, ShopTestBot } from './support';

/*
 * Points from the shop's real orders, on a shop whose tiers are gold from 400 points and diamond
 * from 1000: order KF300000000001 (¥457.00: two kettles at ¥199, a mug at ¥59) is delivered, then the
 * mug is refunded, then an agent adds points for a late delivery.
 */
describe.each(PROVIDERS)('the points ledger through purchase, delivery, return and tier changes (%s store)', (provider) => {
  const bot = new ShopTestBot(provider, { LOYALTY_GOLD_POINTS: '400', LOYALTY_DIAMOND_POINTS: '1000' });
  beforeAll(() => bot.start());
  afterAll(() => bot.stop());

  it('when an order is delivered, partly refunded and adjusted by an agent, then the balance, tier, history and chat answers follow the ledger', async () => {
    const db = bot.app.store.db;
    await bot.event('customer.created', { customerId: 'S-3001', name: '张伟', locale: 'zh-CN' });
    const customer = await db.customer.findUniqueOrThrow({ where: { externalId: 'S-3001' } });
    await db.channelAccount.create({ data: { channelId: 'test', channelUserId: 'user-c-points', customerId: customer.id } });
    const c = { conversationId: 'c-points', locale: 'zh-CN' };
    expect((await bot.say({ ...c, text: '我的积分' }))[0]).toContain('您目前有 0 积分，是白银会员。');

    await bot.event('order.created', newOrder('KF300000000001', 'S-3001'), { occurredAt: '2026-11-20T01:00:00Z' });
    await bot.event('order.paid', { orderNumber: 'KF300000000001' }, { occurredAt: '2026-11-20T01:05:00Z' });
    expect(await bot.app.features.loyalty.ledger.balance(customer.id)).toBe(0); // paid is not yet earned
    const before = bot.listener.for('c-points').length;
    await bot.event('order.delivered', { orderNumber: 'KF300000000001' }, { occurredAt: '2026-11-22T01:00:00Z' });
    await bot.listener.waitFor(before + 1, 'c-points');
    expect(bot.listener.texts('c-points').slice(before)).toEqual(['恭喜！您已升级为黄金会员，当前积分 457。']);
    await bot.event('order.delivered', { orderNumber: 'KF300000000001' }, { occurredAt: '2026-11-22T02:00:00Z' }); // the shop says it twice, with another id
    expect(await bot.app.features.loyalty.ledger.balance(customer.id)).toBe(457);

    await bot.event('order.refunded', { orderNumber: 'KF300000000001', items: [{ sku: 'MUG-2', quantity: 1, amount: 5900 }] });
    expect(await db.customer.findUniqueOrThrow({ where: { id: customer.id } })).toMatchObject({ points: 398, tier: 'SILVER' });

    const { token } = await bot.app.features.tickets.agents.create({ name: 'lead', role: 'supervisor' });
    const { token: managerToken } = await bot.app.features.tickets.agents.create({ name: 'boss', role: 'manager' });
    const adjust = (body: unknown, t = token) =>
      fetch(`${bot.app.url}/api/loyalty/customers/S-3001/adjustments`, { method: 'POST', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const noReason = await adjust({ delta: 102 });
    const manager = await adjust({ delta: 102, reason: '补偿物流延误' }, managerToken);
    expect([noReason.status, manager.status]).toEqual([400, 403]);
    const beforeAdjust = bot.listener.for('c-points').length;
    const ok = await adjust({ delta: 102, reason: '补偿物流延误' });
    expect([ok.status, await ok.json()]).toEqual([201, { balance: 500, tier: 'GOLD' }]);
    await bot.listener.waitFor(beforeAdjust + 1, 'c-points');
    expect(bot.listener.texts('c-points').slice(beforeAdjust)).toEqual(['恭喜！您已升级为黄金会员，当前积分 500。']);
    const audit = await db.auditLog.findMany({ where: { entity: 'Customer', entityId: customer.id, action: 'points.adjust' } });
    expect(audit).toEqual([expect.objectContaining({ actorType: 'agent', reason: '补偿物流延误', before: { points: 398, tier: 'SILVER' } })]);

    const history = await (await fetch(`${bot.app.url}/api/loyalty/customers/S-3001`, { headers: { authorization: `Bearer ${managerToken}` } })).json() as {
      balance: number;
      entries: { delta: number; kind: string }[];
      tierChanges: { from: string; to: string; points: number }[];
    };
    expect(history.balance).toBe(500);
    expect(history.entries.map((e) => [e.kind, e.delta]).sort()).toEqual([['adjust', 102], ['earn', 457], ['reverse', -59]]);
    expect(history.tierChanges.map((t) => [t.from, t.to, t.points]).sort()).toEqual([['GOLD', 'SILVER', 398], ['SILVER', 'GOLD', 457], ['SILVER', 'GOLD', 500]]);

    const replies = await bot.say({ ...c, text: '我的积分' });
    expect(replies.join('\n')).toContain('您目前有 500 积分，是黄金会员。');
    expect(replies.join('\n')).toContain('再累积 500 积分即可升级为钻石会员。');
  });
});
