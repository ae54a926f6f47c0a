import type { Locale } from '../../src/config/locales';
import { COUPON_REQUESTED } from '../../src/features/shop';
import type { Provider } from '../../src/store/db';
import { sh } from '../support/clock';
import { PROVIDERS } from '../support/db';
import { DialogEnv, type Turn } from '../dialogs/support';

/*
 * Points for coupons in chat, as the customer types and reads it, in both languages, on the default
 * catalogue: 500 points → ¥5.00 (30 days), 1000 → ¥12.00 (30 days), 2000 → ¥25.00 (60 days).
 * "Now" is Thursday 2026-11-26 10:00 in Shanghai.
 */
describe.each(PROVIDERS)('points in the loyalty dialog (%s store)', (provider: Provider) => {
  const env = new DialogEnv(provider);
  beforeAll(() => env.start(), 60_000);
  afterAll(() => env.stop());

  /** A signed-in customer of their own with `points` (an agent's adjustment). */
  async function member(locale: Locale, points: number) {
    const chat = await env.chat({ locale });
    if (points) await env.features.loyalty.ledger.adjust(chat.who.customerId, points, 'points for the test', { type: 'agent', id: null });
    return chat;
  }
  const redemptions = (customerId: string) => env.db.pointsEntry.findMany({ where: { customerId, kind: 'redeem' } });
  const couponEvents = (customerId: string) => env.db.domainEvent.findMany({ where: { type: COUPON_REQUESTED, subject: `Customer:${customerId}` } });

  test.each<[Locale, Turn[]]>([
    [
      'zh-CN',
      [
        ['积分能换优惠券吗', ['您有 1200 积分，可以兑换以下优惠券，请选择：'], { buttons: ['500 积分换 ¥5.00 券', '1000 积分换 ¥12.00 券', '不兑换了'], dialog: 'kefu.loyalty.redeem' }],
        ['1000 积分换 ¥12.00 券', ['确认用 1000 积分兑换一张 ¥12.00 优惠券（有效期 30 天）吗？兑换后剩余 200 积分。'], { buttons: ['确认兑换', '不兑换了'] }],
        ['确认兑换', ['兑换成功！已请商城为您发放 ¥12.00 优惠券，券码 PT', '有效期 30 天（至 2026年12月26日）', '您现在有 200 积分。'], { replies: 1, dialog: null }],
        ['确认兑换', ['这次兑换已经完成了（券码 PT', '不会重复扣积分', '您现在有 200 积分。'], { replies: 1, dialog: null }],
      ],
    ],
    [
      'en-US',
      [
        ['redeem my points for a coupon', ['You have 1200 points. These coupons are yours for points, pick one:'], { buttons: ['¥5.00 coupon for 500 points', '¥12.00 coupon for 1000 points', 'No, keep my points'], dialog: 'kefu.loyalty.redeem' }],
        ['the second one', ['Redeem 1000 points for a ¥12.00 coupon (valid 30 days)? You will have 200 points left.'], { buttons: ['Yes, redeem', 'No, keep my points'] }],
        ['Yes, redeem', ['Done! We asked the shop to issue your ¥12.00 coupon, code PT', 'valid 30 days (until Dec 26, 2026)', 'You now have 200 points.'], { replies: 1, dialog: null }],
        ['Yes, redeem', ['That redemption is already done (coupon code PT', 'no points were taken twice', 'You have 200 points.'], { replies: 1, dialog: null }],
      ],
    ],
  ])('(%s) when a member redeems 1000 of 1200 points and taps "confirm" twice, then one coupon is requested from the shop and 1000 points are taken once', async (locale, turns) => {
    const chat = await member(locale, 1200);
    const replies = await chat.play(turns);
    const code = /PT[0-9A-F]{8}/.exec(replies[2]![0]!.text ?? '')?.[0];
    expect(replies[3]![0]!.text).toContain(code);
    const id = chat.who.customerId;
    expect(await redemptions(id)).toEqual([expect.objectContaining({ delta: -1000, sourceKey: `redeem:${code}`, actorType: 'customer', actorId: id })]);
    expect(await env.db.customer.findUniqueOrThrow({ where: { id } })).toMatchObject({ points: 200 });
    const events = await couponEvents(id);
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ code, amount: 1200, validDays: 30, points: 1000, reason: 'redemption' })]);
    const externalId = (await env.db.customer.findUniqueOrThrow({ where: { id } })).externalId;
    expect(await env.features.shop.outbox.webhookFor(events[0]!)).toMatchObject({ type: 'coupon.requested', data: { customerId: externalId, code, amount: 1200, validDays: 30, points: 1000, reason: 'redemption' } });
    expect(await env.db.auditLog.findMany({ where: { entityId: id, action: 'points.redeem' } })).toEqual([expect.objectContaining({ actorType: 'customer', before: { points: 1200, tier: 'SILVER' } })]);
  });

  test('(zh-CN) when a member asks in traditional characters, then the bot offers the coupons as for simplified ones', async () => {
    const chat = await member('zh-CN', 1200);
    await chat.play([
      ['積分可以兌換優惠券嗎', ['您有 1200 积分，可以兑换以下优惠券，请选择：'], { buttons: ['500 积分换 ¥5.00 券', '1000 积分换 ¥12.00 券', '不兑换了'], dialog: 'kefu.loyalty.redeem' }],
      ['不兌換了', [], { dialog: null }],
    ]);
    expect(await redemptions(chat.who.customerId)).toEqual([]);
  });

  test.each<[Locale, Turn]>([
    ['zh-CN', ['用积分兑换', ['您目前有 320 积分，最低一档优惠券（¥5.00）需要 500 积分，还差 180 积分。'], { replies: 1, dialog: null }]],
    ['en-US', ['can I use my points', ['You have 320 points; the smallest coupon (¥5.00) takes 500 points, so you need 180 more.'], { replies: 1, dialog: null }]],
  ])('(%s) when a member has too few points for any coupon, then they read how many more the cheapest needs, and nothing is redeemed', async (locale, turn) => {
    const chat = await member(locale, 320);
    await chat.play([turn]);
    expect(await redemptions(chat.who.customerId)).toEqual([]);
  });

  test.each<[Locale, Turn[]]>([
    [
      'zh-CN',
      [
        ['我的积分', ['您目前有 600 积分，是白银会员。'], { buttons: ['兑换优惠券', '会员规则'] }],
        ['兑换优惠券', ['您有 600 积分'], { buttons: ['500 积分换 ¥5.00 券', '不兑换了'] }],
        ['500 积分换 ¥5.00 券', ['确认用 500 积分兑换一张 ¥5.00 优惠券（有效期 30 天）吗？兑换后剩余 100 积分。'], { buttons: ['确认兑换', '不兑换了'] }],
        ['不兑换了', ['好的，没有兑换，您的 600 积分保持不变。'], { replies: 1, dialog: null }],
        ['兑换优惠券', ['您有 600 积分'], { buttons: ['500 积分换 ¥5.00 券', '不兑换了'] }],
        ['第一个', ['确认用 500 积分兑换'], { buttons: ['确认兑换', '不兑换了'] }],
        ['算了', ['好的，没有兑换，您的 600 积分保持不变。'], { replies: 1, dialog: null }],
      ],
    ],
    [
      'en-US',
      [
        ['my points', ['You have 600 points and you are a Silver member.'], { buttons: ['Redeem points for a coupon', 'Membership rules'] }],
        ['Redeem points for a coupon', ['You have 600 points'], { buttons: ['¥5.00 coupon for 500 points', 'No, keep my points'] }],
        ['¥5.00 coupon for 500 points', ['Redeem 500 points for a ¥5.00 coupon (valid 30 days)? You will have 100 points left.'], { buttons: ['Yes, redeem', 'No, keep my points'] }],
        ['No, keep my points', ['OK, nothing redeemed: you still have 600 points.'], { replies: 1, dialog: null }],
        ['Redeem points for a coupon', ['You have 600 points'], { buttons: ['¥5.00 coupon for 500 points', 'No, keep my points'] }],
        ['¥5.00 coupon for 500 points', ['Redeem 500 points'], { buttons: ['Yes, redeem', 'No, keep my points'] }],
        ['cancel', ["OK, I've stopped that. Nothing was changed."], { dialog: null }],
      ],
    ],
  ])('(%s) when a member says no, or cancels, at the confirmation, then nothing is redeemed and the balance stays', async (locale, turns) => {
    const chat = await member(locale, 600);
    await chat.play(turns);
    expect(await redemptions(chat.who.customerId)).toEqual([]);
    expect(await couponEvents(chat.who.customerId)).toEqual([]);
    expect(await env.features.loyalty.ledger.balance(chat.who.customerId)).toBe(600);
  });

  test.each<[Locale, Turn]>([
    ['zh-CN', ['我的积分有多少', ['您目前有 180 积分，是白银会员。', '其中 80 积分将于 2026年12月6日 过期，请在此之前使用'], { replies: 1 }]],
    ['en-US', ['how many points do I have', ['You have 180 points and you are a Silver member.', '80 of them expire on Dec 6, 2026: use them before then'], { replies: 1 }]],
  ])('(%s) when some points expire within 30 days, then the balance tells how many and when', async (locale, turn) => {
    const chat = await member(locale, 0);
    const customerId = chat.who.customerId;
    const earn = (orderId: string, yuan: number, at: Date) => env.db.$transaction((tx) => env.features.loyalty.ledger.earnForDelivery(tx, { id: `${orderId}-${customerId}`, customerId, total: yuan * 100 }, at));
    await earn('old', 80, sh('2024-12-05T20:00:00'));
    await earn('new', 100, sh('2026-11-01T20:00:00'));
    await chat.play([turn]);
  });

  test('when "confirm" reaches the redemption twice at the same moment, then one redemption is made and the other is told it is done', async () => {
    const chat = await member('zh-CN', 1000);
    const { redemption } = env.features.loyalty;
    const outcomes = await Promise.all([redemption.redeem(chat.who.customerId, 500, 'PTRACE0001'), redemption.redeem(chat.who.customerId, 500, 'PTRACE0001')]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['already', 'redeemed']);
    expect((await redemptions(chat.who.customerId)).map((e) => e.delta)).toEqual([-500]);
    expect(await couponEvents(chat.who.customerId)).toHaveLength(1);
    expect(await env.features.loyalty.ledger.balance(chat.who.customerId)).toBe(500);
  });

  test.each<[Locale, string, string, string]>([
    ['zh-CN', '我想问下积分能不能换优惠券', '您有 1200 积分，可以兑换以下优惠券，请选择：', '优惠券在“我的账户 › 优惠券”里查看。'],
    ['en-US', 'can i use my points to get a coupon?', 'You have 1200 points. These coupons are yours for points, pick one:', 'Your coupons are under "My account › Coupons".'],
  ])('(%s) when a sentence asks about points and coupons, then it is the redemption; a question about coupons alone stays the coupons FAQ', async (locale, points, redemption, faq) => {
    const chat = await member(locale, 1200);
    expect((await chat.say(points))[0]?.text).toBe(redemption);
    await chat.say(locale === 'zh-CN' ? '不兑换了' : 'No, keep my points');
    const other = await member(locale, 0);
    expect((await other.say(locale === 'zh-CN' ? '优惠券怎么用' : 'how do coupons work')).map((r) => r.text).join('\n')).toContain(faq);
  });

  test('when the expiry job is listed, then it runs nightly at 03:20', () => {
    expect(env.features.loyalty.jobs).toEqual([expect.objectContaining({ name: 'loyalty.expiry', schedule: '20 3 * * *' })]);
  });
});
