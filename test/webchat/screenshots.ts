/**
 * Screenshots of the demo shop page with the chat open, in zh-CN and en-US, for the README:
 *   npx tsx test/webchat/screenshots.ts   (writes docs/webchat-zh-CN.png and docs/webchat-en-US.png)
 * Needs Debian's chromium and, for legible Chinese and emoji, fonts-noto-cjk and fonts-noto-color-emoji:
 * `node scripts/test-prepare.cjs` (npm test's preparation) installs all three when missing.
 */
import path from 'node:path';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { I18n } from '../../src/i18n/i18n';
import { createTestDatabase } from '../support/db';
import { BOT_BUBBLES, SEND_BOX, launchBrowser, plainPart } from './browser';

const SHOTS: { locale: 'zh-CN' | 'en-US'; customer: string; say: string }[] = [
  { locale: 'zh-CN', customer: 'C1001', say: '你好' },
  { locale: 'en-US', customer: 'C1002', say: 'hello' },
];

async function main(): Promise<void> {
  const i18n = new I18n();
  const database = await createTestDatabase('sqlite', 'screenshots');
  const app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, LOG_LEVEL: 'silent', DB_SEED_ON_START: 'true' }));
  const chrome = await launchBrowser();
  try {
    for (const shot of SHOTS) {
      const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: shot.locale, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto(`${app.url}/?lang=${shot.locale}`);
      await page.selectOption('#demo-account', shot.customer);
      await page.click('.kefu-launcher');
      await page.locator(SEND_BOX).fill(shot.say);
      const greeting = plainPart(i18n.t(shot.locale, 'messages.welcome.greeting'));
      await page.getByText(greeting).first().waitFor();
      const before = await page.locator(BOT_BUBBLES).count();
      await page.keyboard.press('Enter');
      await page.locator(BOT_BUBBLES).nth(before + 2).waitFor();
      await page.mouse.move(0, 0);
      const file = path.resolve(__dirname, '../../docs', `webchat-${shot.locale}.png`);
      await page.screenshot({ path: file });
      process.stdout.write(`${file}\n`);
      await context.close();
    }
  } finally {
    await chrome.close();
    await app.stop();
    await database.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
