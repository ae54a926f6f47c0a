import { COUPON_REQUESTED } from '../../src/features/shop';
import { startWebChatApp, type WebChatTestApp } from '../directline/support';
import { BOT_BUBBLES, launchBrowser, openDemoChat, sendText, type TestBrowser } from './browser';

/*
 * In headless Chromium, on the demo shop page: a demo member opens the web chat, asks in their own
 * words to turn points into a coupon, taps a coupon and confirms; the chat shows the coupon code and
 * the new balance, the ledger and the shop's outbox hold one redemption.
 */
describe('redeeming points in the web chat, in headless Chromium', () => {
  let t: WebChatTestApp;
  let chrome: TestBrowser;

  beforeAll(async () => {
    [t, chrome] = await Promise.all([startWebChatApp('redeem'), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
    await t?.stop();
  });

  test('when a member asks "积分能换优惠券吗", taps a coupon and confirms, then the chat shows the code and the new balance, and one coupon is requested from the shop', async () => {
    const db = t.app.store.db;
    const member = await db.customer.findUniqueOrThrow({ where: { externalId: 'C1001' } });
    if (member.points < 1500) await t.app.features.loyalty.ledger.adjust(member.id, 1500 - member.points, 'points for the test', { type: 'agent', id: null });
    const before = (await db.customer.findUniqueOrThrow({ where: { id: member.id } })).points;

    const page = await openDemoChat(chrome, t.app.url, 'zh-CN', 'C1001');
    await sendText(page, '积分能换优惠券吗');
    await page.locator(BOT_BUBBLES, { hasText: `您有 ${before} 积分，可以兑换以下优惠券` }).waitFor();

    await page.getByRole('toolbar').getByRole('button', { name: '500 积分换 ¥5.00 券', exact: true }).click();
    await page.locator(BOT_BUBBLES, { hasText: '确认用 500 积分兑换一张 ¥5.00 优惠券' }).waitFor();
    await page.getByRole('toolbar').getByRole('button', { name: '确认兑换', exact: true }).click();
    const done = page.locator(BOT_BUBBLES, { hasText: '兑换成功' });
    await done.waitFor();
    const text = (await done.textContent()) ?? '';
    const code = /PT[0-9A-F]{8}/.exec(text)?.[0];
    expect(code).toBeDefined();
    expect(text).toContain(`您现在有 ${before - 500} 积分`);

    expect(await db.pointsEntry.findMany({ where: { customerId: member.id, kind: 'redeem' }, select: { delta: true, sourceKey: true } })).toEqual([{ delta: -500, sourceKey: `redeem:${code}` }]);
    const events = await db.domainEvent.findMany({ where: { type: COUPON_REQUESTED, subject: `Customer:${member.id}` } });
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ code, amount: 500, points: 500, reason: 'redemption' })]);
  }, 90_000);
});
