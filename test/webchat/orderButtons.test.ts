import { startWebChatApp, type WebChatTestApp } from '../directline/support';
import { BOT_BUBBLES, launchBrowser, openDemoChat, sendText, type TestBrowser } from './browser';

/*
 * In headless Chromium, on the demo shop page: a demo member looks at a delivered order and taps
 * "退换货" below it; the return starts with that order (the button carries it), without asking which.
 */
describe('the buttons below an order in the web chat, in headless Chromium', () => {
  let t: WebChatTestApp;
  let chrome: TestBrowser;

  beforeAll(async () => {
    [t, chrome] = await Promise.all([startWebChatApp('orderbuttons'), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
    await t?.stop();
  });

  test('when a member looks at a delivered order and taps "退换货" then "退货", then the return is about that order and "which order?" is never asked', async () => {
    const db = t.app.store.db;
    const member = await db.customer.findUniqueOrThrow({ where: { externalId: 'C1001' } });
    const order = await db.order.findFirstOrThrow({ where: { customerId: member.id, status: 'DELIVERED' }, orderBy: { createdAt: 'desc' } });

    const page = await openDemoChat(chrome, t.app.url, 'zh-CN', 'C1001');
    await sendText(page, `查一下订单 ${order.number}`);
    await page.getByRole('toolbar').getByRole('button', { name: '退换货', exact: true }).click();
    await page.locator(BOT_BUBBLES, { hasText: '您想退货（退款）还是换货？' }).waitFor();
    await page.getByRole('toolbar').getByRole('button', { name: '退货', exact: true }).click();
    await page.locator(BOT_BUBBLES, { hasText: `订单 ${order.number}` }).last().waitFor();
    const bubbles = await page.locator(BOT_BUBBLES).allTextContents();
    expect(bubbles.filter((b) => b.includes('请问是哪个订单'))).toEqual([]);
    expect(bubbles.at(-1)).toContain(order.number);
  }, 90_000);
});
