import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { BOT_BUBBLES, SEND_BOX, USER_BUBBLES, launchBrowser, type TestBrowser } from './browser';

/**
 * Issue 12: with default settings (SQLite, no secrets configured), the server restarts in the middle
 * of a dialog; the same Web Chat page reconnects on its own, keeps the earlier messages and the
 * dialog goes on; a reload of the page reopens the conversation with its history.
 */
describe('a web chat conversation across a server restart (default settings, Chromium)', () => {
  let database: TestDatabase;
  let chrome: TestBrowser;
  let app: App | undefined;

  const start = (port: number) =>
    startApp(loadConfig({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: database.url, LOG_LEVEL: 'silent' }));

  beforeAll(async () => {
    [database, chrome] = await Promise.all([createTestDatabase('sqlite', 'restart'), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
    await app?.stop();
    await database?.drop();
  });

  test('when the server restarts mid-dialog, then the open page reconnects, shows what was said and the dialog goes on; a reload shows the history again', async () => {
    app = await start(0);
    const port = app.port;
    const context = await chrome.visitor({ locale: 'zh-CN' });
    const page = await context.newPage();
    const say = async (text: string) => {
      await page.locator(SEND_BOX).fill(text);
      await page.keyboard.press('Enter');
      await page.locator(USER_BUBBLES, { hasText: text }).last().waitFor();
    };
    try {
      await page.goto(`${app.url}/?lang=zh-CN`);
      await page.selectOption('#demo-account', 'C1001'); // a signed-in customer: complaints are for them
      await page.click('.kefu-launcher');
      await page.locator(BOT_BUBBLES, { hasText: '您好，欢迎光临' }).first().waitFor();
      await say('我要投诉');
      await page.locator(BOT_BUBBLES, { hasText: '请问您要投诉哪方面？' }).waitFor();

      // The server goes away (its streams close) and comes back on the same address and store.
      await app.stop();
      app = await start(port);

      await say('商品质量');
      await page.locator(BOT_BUBBLES, { hasText: '请告诉我具体发生了什么。' }).waitFor({ timeout: 30_000 });
      expect(await page.locator(BOT_BUBBLES, { hasText: '请问您要投诉哪方面？' }).count()).toBe(1);

      // A reload reopens the same conversation (the panel too) with its history from the store.
      await page.reload();
      await page.locator(BOT_BUBBLES, { hasText: '请告诉我具体发生了什么。' }).waitFor({ timeout: 30_000 });
      expect(await page.locator(USER_BUBBLES, { hasText: '我要投诉' }).count()).toBe(1);
      expect(await page.locator(USER_BUBBLES, { hasText: '商品质量' }).count()).toBe(1);
      await say('充电宝充不进电');
      await page.locator(BOT_BUBBLES, { hasText: '您希望我们如何处理？' }).waitFor();
    } finally {
      await context.close();
    }
  }, 150_000); // a browser, two server starts and a reload: slow on a loaded 2-core machine
});
