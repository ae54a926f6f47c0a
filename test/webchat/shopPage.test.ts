import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { TokenService } from '../../src/features/webchat/directline/tokens';
import { SITE_SECRET, startWebChatApp, type WebChatTestApp } from '../directline/support';
import { BOT_BUBBLES, BUBBLES, SEND_BOX, USER_BUBBLES, launchBrowser, makePng, type TestBrowser } from './browser';

/** The start of the welcome, as Web Chat shows it (up to the first apostrophe, which its Markdown may curl). */
const greeting = { 'zh-CN': '您好，欢迎光临！我是店铺的智能客服小助手', 'en-US': 'Hello and welcome!' };
/** A customer's photo. */
const PHOTO = makePng();

describe('a customer chatting from the demo shop page in headless Chromium', () => {
  let t: WebChatTestApp;
  let chrome: TestBrowser;

  beforeAll(async () => {
    [t, chrome] = await Promise.all([startWebChatApp('webchat'), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
    await t?.stop();
  });

  /** Opens the shop page, signs in as a demo customer (or stays a guest), opens the chat, waits for the welcome. */
  async function openChat(page: Page, locale: 'zh-CN' | 'en-US', customer?: string): Promise<string> {
    await page.goto(`${t.app.url}/?lang=${locale}`);
    if (customer) await page.selectOption('#demo-account', customer);
    await page.click('.kefu-launcher');
    await page.locator(SEND_BOX).waitFor();
    await page.getByText(greeting[locale]).first().waitFor();
    const conversationId = await page.getAttribute('.kefu-root', 'data-conversation-id');
    if (!conversationId) throw new Error('the chat did not start a conversation');
    return conversationId;
  }

  async function tokenFor(page: Page): Promise<{ token: string; conversationId: string }> {
    return page.evaluate(`(async () => {
      const identity = await fetch('/webchat/demo/identity', { method: 'POST' });
      const identityToken = identity.status === 200 ? (await identity.json()).token : undefined;
      const res = await fetch('/webchat/api/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ identityToken }) });
      return res.json();
    })()`);
  }

  function statusOf(page: Page, url: string, token: string): Promise<number> {
    return page.evaluate(`fetch(${JSON.stringify(url)}, { headers: { Authorization: 'Bearer ' + ${JSON.stringify(token)} } }).then((r) => r.status)`);
  }

  test('when the Chinese shop page loads, then it has its title and an icon, and nothing it asks for is missing', async () => {
    const context = await chrome.visitor({ locale: 'zh-CN' });
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 400) failed.push(`${res.status()} ${res.url()}`);
    });
    try {
      await page.goto(`${t.app.url}/?lang=zh-CN`);
      expect(await page.title()).toBe('Kefu 演示商店 · 在线客服体验');
      const icons = await page.evaluate(`Promise.all([...document.querySelectorAll('link[rel=icon]')].map(async (l) => {
        const res = await fetch(l.href);
        return res.status + ' ' + res.headers.get('content-type') + ' ' + (await res.arrayBuffer()).byteLength;
      }))`);
      expect(icons).toEqual([expect.stringMatching(/^200 image\/svg\+xml \d+$/), expect.stringMatching(/^200 image\/x-icon \d+$/)]);
      // Browsers ask for /favicon.ico on their own, on any page of the server.
      expect(await page.evaluate(`fetch('/favicon.ico').then((r) => r.status)`)).toBe(200);
      expect(failed).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('when a signed-in customer types 你好 in the Chinese page, then the welcome comes back in Chinese and the conversation is theirs', async () => {
    const context = await chrome.visitor({ locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      const conversationId = await openChat(page, 'zh-CN', 'C1001');
      await page.locator(SEND_BOX).fill('你好');
      await page.keyboard.press('Enter');
      await page.locator(USER_BUBBLES, { hasText: '你好' }).waitFor();
      // The welcome on opening, and again in answer to 你好.
      await page.getByText(greeting['zh-CN']).nth(1).waitFor();

      const conversation = await t.app.store.db.conversation.findUniqueOrThrow({
        where: { channelId_channelConversationId: { channelId: 'directline', channelConversationId: conversationId } },
        include: { customer: true, messages: { orderBy: { timestamp: 'asc' } } },
      });
      expect(conversation.customer?.externalId).toBe('C1001');
      expect(conversation.messages.filter((m) => m.direction === 'INBOUND' && m.activityType === 'message').map((m) => m.text)).toEqual(['你好']);
    } finally {
      await context.close();
    }
  });

  test('when the signed-in customer asks in Chinese where their order is, then the answer shows that order and its status', async () => {
    const context = await chrome.visitor({ locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      // The demo shop (on the fixed clock): C1001's latest order, placed on 23 Nov and not paid yet.
      await openChat(page, 'zh-CN', 'C1001');
      await page.locator(SEND_BOX).fill('亲，我的订单KF202611230009到哪了');
      await page.keyboard.press('Enter');
      const answer = page.locator(BOT_BUBBLES, { hasText: 'KF202611230009' }).last();
      await answer.waitFor();
      const text = await answer.textContent();
      // The order as a card: its heading, then each fact's label and value.
      expect(await answer.locator('.ac-adaptiveCard').count()).toBe(1);
      for (const essential of ['订单 KF202611230009', '状态', '待付款', 'LED护眼台灯 ×1（¥159.00）', '通勤双肩包 ×2（¥199.00）', '应付', '¥537.00（待付款）']) expect(text).toContain(essential);
    } finally {
      await context.close();
    }
  });

  test('when a guest asks about an order, then the bot asks them to sign in first and shows no order', async () => {
    const context = await chrome.visitor({ locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await openChat(page, 'zh-CN');
      await page.locator(SEND_BOX).fill('我的订单KF202611230009到哪了');
      await page.keyboard.press('Enter');
      await page.getByText('查询订单、工单和个人信息前，请先登录商城账号，这样我才能确认是您本人。').first().waitFor();
      expect(await page.locator(BOT_BUBBLES, { hasText: 'KF202611230009' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  test('when the page is in English, then the widget and the welcome are in English', async () => {
    const context = await chrome.visitor({ locale: 'en-US' });
    const page = await context.newPage();
    try {
      await page.goto(`${t.app.url}/`);
      // No ?lang=: the browser's Accept-Language picks English.
      await page.getByRole('button', { name: 'Chat with us' }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('en-US');
      await openChat(page, 'en-US');
      expect(await page.textContent('.kefu-title')).toBe('Customer service');
    } finally {
      await context.close();
    }
  });

  test('when the customer sends a photo with the upload button, then it shows in the chat and is stored on the server', async () => {
    const context = await chrome.visitor();
    const page = await context.newPage();
    try {
      const conversationId = await openChat(page, 'zh-CN', 'C1002');
      const before = fs.readdirSync(t.uploadDir).length;
      const botMessages = await page.locator(BOT_BUBBLES).count();
      await page.setInputFiles('.kefu-panel input[type="file"]', { name: 'damaged-box.png', mimeType: 'image/png', buffer: PHOTO });
      // Web Chat 4.18 holds the chosen file in the send box (the clip turns "checked") until the customer sends.
      const waiting = page.locator('.kefu-panel .webchat__attachment-icon--checked');
      await waiting.waitFor();
      // The customer's bubble with the photo (Web Chat shows it as an image, or as a file card while the
      // image is still loading on a busy machine).
      const sentPhoto = page.locator('.kefu-panel .webchat__bubble--from-user').first();
      await page.locator('.kefu-panel .webchat__send-button').click();
      // On a loaded machine the first click can land before Web Chat has taken the file into its send
      // box: if the photo does not appear while the clip still shows a waiting file, send again.
      for (let attempt = 0; attempt < 3; attempt++) {
        const shown = await sentPhoto.waitFor({ timeout: 5000 }).then(
          () => true,
          () => false,
        );
        if (shown || (await waiting.count()) === 0) break;
        await page.locator('.kefu-panel .webchat__send-button').click();
      }
      await sentPhoto.waitFor();
      // The bot answers the photo: by then the server has stored it and passed it on.
      await page.locator(BOT_BUBBLES).nth(botMessages).waitFor();

      const stored = fs.readdirSync(t.uploadDir).filter((f) => f.endsWith('.png'));
      expect(stored.length).toBe(before + 1);
      expect(stored.some((f) => fs.readFileSync(path.join(t.uploadDir, f)).equals(PHOTO))).toBe(true);
      const inbound = await t.app.store.db.message.findFirstOrThrow({
        where: { direction: 'INBOUND', conversation: { channelConversationId: conversationId }, attachments: { not: undefined } },
        orderBy: { timestamp: 'desc' },
      });
      const attachments = inbound.attachments as { contentType: string; contentUrl: string }[];
      expect(attachments[0]?.contentType).toBe('image/png');
      const served = await page.evaluate(`fetch(${JSON.stringify(attachments[0]?.contentUrl)}).then(async (r) => [r.status, r.headers.get('content-type'), (await r.arrayBuffer()).byteLength])`);
      expect(served).toEqual([200, 'image/png', PHOTO.length]);
    } finally {
      await context.close();
    }
  });

  test("when another signed-in customer's browser uses its own token on the first customer's conversation, then it gets 403", async () => {
    const first = await chrome.visitor();
    const second = await chrome.visitor();
    try {
      const firstPage = await first.newPage();
      const conversationId = await openChat(firstPage, 'zh-CN', 'C1003');

      const secondPage = await second.newPage();
      await secondPage.goto(`${t.app.url}/?lang=zh-CN`);
      await secondPage.selectOption('#demo-account', 'C1004');
      const theirs = await tokenFor(secondPage);
      expect(theirs.conversationId).not.toBe(conversationId);
      const url = `${t.app.url}/v3/directline/conversations/${conversationId}/activities`;
      expect(await statusOf(secondPage, url, theirs.token)).toBe(403);
      expect(await statusOf(secondPage, `${t.app.url}/v3/directline/conversations/${theirs.conversationId}/activities`, theirs.token)).toBe(200);
    } finally {
      await first.close();
      await second.close();
    }
  });

  test('when a browser presents an expired conversation token, then it is refused', async () => {
    const context = await chrome.visitor();
    const page = await context.newPage();
    try {
      await page.goto(`${t.app.url}/?lang=zh-CN`);
      const lastHour = new TokenService({ siteSecret: SITE_SECRET, identitySecret: 'x'.repeat(32), ttlSeconds: 60, identityMaxTtlSeconds: 60, now: () => Date.now() - 3_600_000 });
      const { token, conversationId } = lastHour.issue('an-old-conversation', 'dl_old');
      expect(await statusOf(page, `${t.app.url}/v3/directline/conversations/${conversationId}/activities`, token)).toBe(403);
    } finally {
      await context.close();
    }
  });

  test('when Enter confirms a Chinese input-method composition, then nothing is sent; the Enter after it sends the committed text', async () => {
    const context = await chrome.visitor();
    const page = await context.newPage();
    try {
      await openChat(page, 'zh-CN');
      await page.focus(SEND_BOX);
      // A real composition through Chromium's IME interface: the Enter's keydown/keypress carry isComposing.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Input.imeSetComposition', { text: 'kuaidi', selectionStart: 6, selectionEnd: 6 });
      await page.keyboard.press('Enter');
      const blockedAt: number = await page.evaluate('Date.now()');
      expect(await page.inputValue(SEND_BOX)).toBe('kuaidi');
      await cdp.send('Input.insertText', { text: '快递' });
      // A person's next Enter comes a moment after the composition ended: the guard (embed.js) also
      // blocks an Enter in the same tick as compositionend (as Safari sends it) and for 50 ms after a
      // blocked Enter. Wait until the page's clock is past that window, then press.
      // (A function, not a string: the page's CSP has no 'unsafe-eval', and Playwright evals a string predicate.)
      await page.waitForFunction((after) => Date.now() > after, blockedAt + 50, { polling: 10 });
      await page.keyboard.press('Enter');
      await page.locator(USER_BUBBLES, { hasText: '快递' }).waitFor();

      // The same with synthetic events, as some IMEs deliver them: keydown + keypress Enter, isComposing true.
      await page.locator(SEND_BOX).fill('dingdan');
      await page.evaluate(`(() => {
        const box = document.querySelector(${JSON.stringify(SEND_BOX)});
        for (const type of ['keydown', 'keypress']) {
          box.dispatchEvent(new KeyboardEvent(type, { key: 'Enter', code: 'Enter', keyCode: 13, charCode: 13, which: 13, isComposing: true, bubbles: true, cancelable: true }));
        }
      })()`);
      expect(await page.inputValue(SEND_BOX)).toBe('dingdan');
      // Control: the same keypress without a composition does send (so the check above is not vacuous).
      await page.evaluate(`document.querySelector(${JSON.stringify(SEND_BOX)}).dispatchEvent(new KeyboardEvent('keypress', { key: 'Enter', code: 'Enter', keyCode: 13, charCode: 13, which: 13, bubbles: true, cancelable: true }))`);
      await page.locator(USER_BUBBLES, { hasText: 'dingdan' }).waitFor();

      const sent = await page.locator(USER_BUBBLES).allInnerTexts();
      expect(sent.map((s) => s.trim())).toEqual(['快递', 'dingdan']);
      expect(await page.locator(BUBBLES, { hasText: 'kuaidi' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
