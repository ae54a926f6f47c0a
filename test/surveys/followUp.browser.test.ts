import path from 'node:path';
import type { Locale } from '../../src/config/locales';
import { createStaffAccount } from '../staff/support';
import { order } from '../segments/support';
import { BOT_BUBBLES, SEND_BOX, launchBrowser, type TestBrowser } from '../webchat/browser';
import { SurveyTestBot } from './support';

/*
 * In headless Chromium, in both languages: a customer whose order was delivered three days ago gets
 * the follow-up visit in the shop's web chat and answers its four questions with the buttons; the
 * manager sees the answers per question on the dashboard and opens the visits behind the price.
 * KEFU_SCREENSHOTS=1 also writes docs/followup-chat-<locale>.png and docs/followup-dashboard-<locale>.png.
 */
const DAY = 86_400_000;
const TEXT = {
  'zh-CN': { first: '（1/4）您对我们的服务体验满意吗？', next: ['（2/4）', '（3/4）', '（4/4）', '还有什么想对我们说的吗'], buttons: ['非常满意', '满意', '一般', '非常满意'], skip: '跳过', thanks: '感谢您的反馈', price: '价格合理性' },
  'en-US': { first: '(1/4) How satisfied are you with our service?', next: ['(2/4)', '(3/4)', '(4/4)', 'Thanks for your rating!'], buttons: ['Very satisfied', 'Satisfied', 'Neutral', 'Very satisfied'], skip: 'Skip', thanks: 'Thank you for your feedback', price: 'Fair price' },
};

describe('the follow-up visit in a browser', () => {
  const bot = new SurveyTestBot('sqlite', { SURVEYS_ON_FOLLOWUP_VISIT: 'true' });
  let browser: TestBrowser;

  beforeAll(async () => {
    await bot.start();
    browser = await launchBrowser();
    await createStaffAccount(bot, { name: '王经理', role: 'manager', login: 'wang', password: 'correct horse battery' });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await bot.stop();
  });

  test.each<Locale>(['zh-CN', 'en-US'])('(%s) when a customer answers the visit with the buttons, then the manager sees each question\'s score and the visits behind it', async (locale) => {
    const text = TEXT[locale];
    const customer = await (await browser.visitor({ locale })).newPage();
    await customer.setViewportSize({ width: 900, height: 1000 });
    await customer.goto(`${bot.app.url}/?lang=${locale}`);
    await customer.click('.kefu-launcher');
    await customer.locator(SEND_BOX).waitFor();
    await customer.locator(BOT_BUBBLES).first().waitFor();
    const chat = await bot.db.conversation.findFirstOrThrow({ where: { channelId: 'directline' }, orderBy: { startedAt: 'desc' } });
    const at = new Date(bot.clock.current.getTime() - 3 * DAY - 3_600_000);
    const o = await order(bot.db, chat.customerId!, at, 259, { status: 'DELIVERED', deliveredAt: at });
    await bot.module.followUps.plan(bot.clock.current);
    await bot.module.surveys.sendDue();
    await customer.locator(BOT_BUBBLES, { hasText: text.first }).waitFor();
    await customer.locator(BOT_BUBBLES, { hasText: o.number }).waitFor();
    await customer.getByRole('toolbar').getByRole('button', { name: text.buttons[0], exact: true }).waitFor();
    if (process.env.KEFU_SCREENSHOTS) await customer.screenshot({ path: path.join(__dirname, `../../docs/followup-chat-${locale}.png`) });
    // Each answer with a button, then the next question waited for (the buttons are the same five each time).
    for (const [i, label] of text.buttons.entries()) {
      await customer.getByRole('toolbar').getByRole('button', { name: label, exact: true }).click();
      await customer.locator(BOT_BUBBLES, { hasText: text.next[i] }).waitFor();
    }
    await customer.getByRole('toolbar').getByRole('button', { name: text.skip, exact: true }).click();
    await customer.locator(BOT_BUBBLES, { hasText: text.thanks }).waitFor();
    expect(await bot.db.survey.findFirstOrThrow({ where: { conversationId: chat.id } })).toMatchObject({ serviceScore: 5, productScore: 4, priceScore: 3, score: 5, status: 'ANSWERED' });
    await customer.context().close();

    const manager = await (await browser.visitor({ locale })).newPage();
    await manager.goto(`${bot.app.url}/dashboard?from=2026-11-20&to=2026-11-26&lang=${locale}`);
    await manager.waitForURL(/\/staff\/signin/);
    await manager.fill('#login', 'wang');
    await manager.fill('#password', 'correct horse battery');
    await manager.click('#submit');
    await manager.waitForURL(/\/dashboard\?/);
    const rows = await manager.locator('#followUpQuestions tr').allInnerTexts();
    const answered = locale === 'zh-CN' ? 1 : 2; // the second run also counts the first language's visit
    expect(rows.slice(1).map((r) => r.split('\t').slice(1, 2).join())).toEqual([String(answered), String(answered), String(answered), String(answered)]);
    expect(rows[3]).toContain(text.price);
    expect(rows[3]).toContain('3.00');
    if (process.env.KEFU_SCREENSHOTS) await manager.locator('#followUpQuestions').screenshot({ path: path.join(__dirname, `../../docs/followup-dashboard-${locale}.png`) });
    await manager.click(`#followUpQuestions a.drill:text-is("${text.price}")`);
    await manager.waitForURL(/figure=followUp&question=price/);
    expect(await manager.textContent('#rows')).toContain(locale === 'zh-CN' ? '售后回访' : 'follow-up visit');
    await manager.context().close();
  });
});
