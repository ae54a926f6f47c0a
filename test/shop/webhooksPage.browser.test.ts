import path from 'node:path';
import type { Page } from 'playwright-core';
import { staffOfEveryRole } from '../audit/support';
import { waitUntil } from '../support/wait';
import { launchBrowser, type TestBrowser } from '../webchat/browser';
import { cancelInChat, FakeShop, ShopTestBot } from './support';

/*
 * In headless Chromium, with the app's own dispatcher running: the shop is down, a customer's
 * cancellation is given up after its one attempt (EVENTS_MAX_ATTEMPTS=1); the supervisor's agent
 * console shows the alert, the webhooks page shows the webhook, and once the shop is back the
 * supervisor sends it again with a reason. KEFU_SCREENSHOTS=1 also writes docs/webhooks-zh-CN.png.
 */
describe('the stuck webhooks page in a browser', () => {
  const shop = new FakeShop();
  let bot: ShopTestBot;
  let browser: TestBrowser;

  beforeAll(async () => {
    await shop.start();
    bot = await new ShopTestBot('sqlite', { SHOP_WEBHOOK_URL: shop.url, EVENTS_MAX_ATTEMPTS: '1' }).start();
    browser = await launchBrowser();
    await staffOfEveryRole(bot, ['supervisor']);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
    await shop.stop();
  });

  async function signedIn(next: string): Promise<Page> {
    const page = await (await browser.visitor({ locale: 'zh-CN' })).newPage();
    await page.goto(`${bot.app.url}${next}`);
    await page.waitForURL(/\/staff\/signin/);
    await page.fill('#login', 'supervisor');
    await page.fill('#password', 'a-long-password-1');
    await page.click('#submit');
    await page.waitForURL((url) => url.pathname === next.split('?')[0]);
    return page;
  }

  test('when the shop never took a cancellation, then the supervisor is alerted on the console, sees it on the page, and sends it again with a reason once the shop is back', async () => {
    const agentConsole = await signedIn('/agent');
    await agentConsole.getByText('已连接').waitFor();

    shop.down = true;
    await cancelInChat(bot, 'S-4001', 'KF400000000001');
    const alert = agentConsole.getByTestId('ticket-alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('商家始终未接收 KF400000000001 的 Webhook（order.cancel_requested），系统已停止重试');

    const page = await signedIn('/staff/webhooks?lang=zh-CN');
    const row = page.locator('#webhooks tr[data-id]');
    expect(await row.count()).toBe(1);
    expect(await row.locator('.state').textContent()).toBe('已放弃');
    expect(await row.locator('.error').textContent()).toContain('the shop answered 500');
    expect(await row.textContent()).toContain('订单 KF400000000001');
    expect(await row.textContent()).toContain('客户 S-4001');
    expect(await row.textContent()).toContain('取消申请');
    // The browser itself refuses an empty reason (required, at least 3 characters): nothing is sent.
    await row.getByRole('button', { name: '立即重发' }).click();
    expect(await row.locator('textarea[name="reason"]').evaluate((el) => (el as unknown as { validity: { valid: boolean } }).validity.valid)).toBe(false);
    if (process.env.KEFU_SCREENSHOTS) await page.screenshot({ path: path.join(__dirname, '../../docs/webhooks-zh-CN.png'), fullPage: true });

    shop.down = false;
    await row.locator('textarea[name="reason"]').fill('商家系统已恢复');
    await row.getByRole('button', { name: '立即重发' }).click();
    await page.locator('#flash').waitFor();
    expect(await page.textContent('#flash')).toMatch(/^Webhook \S+ 已重新排队，马上发送。$/);
    await waitUntil(() => shop.taken().length > 0, 'the shop to take the webhook');
    expect(shop.taken()).toEqual(['order.cancel_requested KF400000000001']);
    await page.reload();
    expect(await page.textContent('#none')).toBe('没有卡住的 Webhook：商家已全部接收。');
    expect(await bot.app.store.db.auditLog.count({ where: { action: 'shop.webhook_retry', reason: '商家系统已恢复' } })).toBe(1);
  }, 120_000);
});
