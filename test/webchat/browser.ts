import zlib from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium package (apt-get install chromium); never a downloaded browser. */
export const CHROMIUM = process.env.KEFU_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface TestBrowser {
  browser: Browser;
  /** A fresh context (own cookies and storage): one visitor. */
  visitor(options?: { locale?: string }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** One headless Chromium per test file (playwright gives each launch a fresh temporary profile). */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  return {
    browser,
    visitor: (options = {}) => browser.newContext({ viewport: { width: 1280, height: 800 }, locale: options.locale ?? 'zh-CN' }),
    async close() {
      await browser.close();
    },
  };
}

/** The Web Chat send box inside the embed's panel. */
export const SEND_BOX = '.kefu-panel [data-id="webchat-sendbox-input"]';
/** Messages in the Web Chat transcript. */
export const BUBBLES = '.kefu-panel .webchat__bubble__content';
export const BOT_BUBBLES = '.kefu-panel .webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content';
export const USER_BUBBLES = '.kefu-panel .webchat__bubble--from-user .webchat__bubble__content';

/** A real PNG (a small two-tone "photo"), built in memory. */
export function makePng(width = 48, height = 32): Buffer {
  const crc32 = (buf: Buffer) => zlib.crc32(buf);
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set(x < width / 2 ? [0xe4, 0x39, 0x3c] : [0xf5, 0xd0, 0x8a], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The part of a message that Web Chat's markdown renders verbatim (it turns ' and " into typographic quotes). */
export function plainPart(text: string): string {
  return text.split(/['"]/)[0] ?? text;
}

/** The demo shop page in `locale`, signed in as the demo customer `account`, its chat open: a page to type into with sendText. */
export async function openDemoChat(chrome: TestBrowser, url: string, locale: 'zh-CN' | 'en-US', account: string): Promise<Page> {
  const page = await (await chrome.visitor({ locale })).newPage();
  await page.goto(`${url}/?lang=${locale}`);
  await page.selectOption('#demo-account', account);
  await page.click('.kefu-launcher');
  await page.locator(SEND_BOX).waitFor();
  return page;
}

/** Types a message into the chat's send box and sends it. */
export async function sendText(page: Page, text: string): Promise<void> {
  await page.locator(SEND_BOX).click();
  await page.keyboard.insertText(text);
  await page.keyboard.press('Enter');
}
