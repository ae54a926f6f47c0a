import { startWebChatApp, type WebChatTestApp } from '../directline/support';
import { BOT_BUBBLES, SEND_BOX, launchBrowser, type TestBrowser } from './browser';

/* The demo shop page on a phone (390 × 844, an iPhone 12-14), in headless Chromium. */
describe('the demo shop page on a phone', () => {
  let t: WebChatTestApp;
  let chrome: TestBrowser;
  beforeAll(async () => {
    [t, chrome] = await Promise.all([startWebChatApp('webchat-phone'), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
    await t?.stop();
  });

  test('when the page is 390 px wide, then the header keeps the shop name on one line, the chat button is on screen, and a short conversation is readable line by line', async () => {
    const context = await chrome.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${t.app.url}/?lang=zh-CN`);
    const logo = await page.locator('.logo').boundingBox();
    const launcher = await page.locator('.kefu-launcher').boundingBox();
    // One line of a 20 px font is well under 40 px; wrapped one character a line it was hundreds.
    expect(logo && logo.height < 40).toBe(true);
    expect(launcher && launcher.x >= 0 && launcher.x + launcher.width <= 390 && launcher.y + launcher.height <= 844).toBe(true);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    await page.selectOption('#demo-account', 'C1001'); // a signed-in customer, whose points are shown
    await page.click('.kefu-launcher');
    await page.locator(SEND_BOX).waitFor();
    await page.locator(SEND_BOX).fill('我的积分');
    await page.keyboard.press('Enter');
    // The points answer itself ("您目前有 … 积分"), not the welcome's list that also names 积分.
    const points = page.locator(BOT_BUBBLES).filter({ hasText: '您目前有' }).last();
    await points.waitFor();
    // The points answer has three lines: Web Chat shows them as lines (<br>), not run together.
    expect((await points.innerHTML()).match(/<br/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    const panel = await page.locator('.kefu-panel').boundingBox();
    expect(panel && panel.x >= 0 && panel.x + panel.width <= 390).toBe(true);
    await context.close();
  }, 60_000);
});
