import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { HANDOFF_ENDED } from '../../src/features/surveys';
import { createStaffAccount } from '../staff/support';
import { SurveyTestBot } from '../surveys/support';
import { BOT_BUBBLES, SEND_BOX, launchBrowser, type TestBrowser } from '../webchat/browser';

/*
 * In headless Chromium: a customer's agent chat in the shop's web chat ends and they rate it with the
 * "不满意" button (2) and a comment; the manager opens the dashboard, signs in, sees the new score against the target and in the low-score
 * list, drills down to the conversation, and exports the list as CSV. KEFU_SCREENSHOTS=1 also writes
 * docs/dashboard-zh-CN.png and docs/dashboard-en-US.png.
 */
describe('the dashboard in a browser', () => {
  const bot = new SurveyTestBot('sqlite');
  let browser: TestBrowser;
  let context: BrowserContext;
  const comment = '等了很久才有人回复';

  beforeAll(async () => {
    await bot.start();
    browser = await launchBrowser();
    context = await browser.visitor({ locale: 'zh-CN' });
    await createStaffAccount(bot, { name: '王经理', role: 'manager', login: 'wang', password: 'correct horse battery' });
    const { agent } = await bot.app.features.tickets.agents.create({ name: '林小美', role: 'agent' });
    // The customer opens the web chat on the shop's page; their agent chat ends (the handoff's event).
    const customer = await (await browser.visitor({ locale: 'zh-CN' })).newPage();
    await customer.goto(`${bot.app.url}/?lang=zh-CN`);
    await customer.click('.kefu-launcher');
    await customer.locator(SEND_BOX).waitFor();
    await customer.getByText('您好，欢迎光临！').first().waitFor();
    const chat = await bot.db.conversation.findFirstOrThrow({ where: { channelId: 'directline' }, orderBy: { startedAt: 'desc' } });
    await bot.db.$transaction((tx) => bot.app.events.record(tx, [{ type: HANDOFF_ENDED, subject: `Conversation:${chat.id}`, payload: { conversationId: chat.id, agentId: agent.id, reason: 'agent' } }]));
    await bot.app.dispatcher.runUntilIdle();
    await bot.module.surveys.sendDue();
    await customer.locator(BOT_BUBBLES, { hasText: '您对客服的服务满意吗？' }).waitFor();
    await customer.getByRole('toolbar').getByRole('button', { name: '不满意', exact: true }).click();
    await customer.locator(BOT_BUBBLES, { hasText: '回访工单' }).waitFor();
    await customer.locator(SEND_BOX).fill(comment);
    await customer.locator(SEND_BOX).press('Enter');
    await customer.locator(BOT_BUBBLES, { hasText: '已收到您的意见' }).waitFor();
    await customer.context().close();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await bot.stop();
  });

  test('when the manager signs in, then they see the new score, drill down to its conversation, filter and open the rows behind a number, and export the list as CSV', async () => {
    const page = await context.newPage();
    await page.goto(`${bot.app.url}/dashboard?from=2026-11-20&to=2026-11-26&granularity=day&lang=zh-CN`);
    await page.waitForURL(/\/staff\/signin/);
    await page.fill('#login', 'wang');
    await page.fill('#password', 'correct horse battery');
    await page.click('#submit');
    await page.waitForURL(/\/dashboard\?/);

    expect(await page.textContent('#member')).toBe('王经理（manager）');
    expect(await page.textContent('#kpi-satisfactionRate .value')).toBe('0.0%');
    expect(await page.textContent('#kpi-satisfactionRate .note')).toBe('目标 90.0%');
    const low = await page.textContent('#lowScores table');
    expect(low).toContain(comment);
    expect(low).toContain('林小美');
    expect(low).toContain('人工服务');
    if (process.env.KEFU_SCREENSHOTS) await page.screenshot({ path: path.join(__dirname, '../../docs/dashboard-zh-CN.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#lowScores h2 a')]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.replace(/^\ufeff/, '').split('\r\n')[1]).toContain(`,2,${comment},林小美,人工服务,T20261126`);

    await page.click('#lowScores td a');
    await page.waitForURL(/\/dashboard\/conversations\//);
    const transcript = await page.textContent('#transcript');
    expect(transcript).toContain('您对客服的服务满意吗？');
    expect(transcript).toContain(comment);

    // The filters narrow every figure; the number opens the rows behind it, and a row its conversation.
    await page.goto(`${bot.app.url}/dashboard?from=2026-11-20&to=2026-11-26&granularity=day&lang=zh-CN`);
    await page.selectOption('select[name="trigger"]', 'manual');
    await page.click('form.range button');
    await page.waitForURL(/trigger=manual/);
    expect(await page.textContent('#kpi-satisfactionRate .value')).toBe('-');
    await page.selectOption('select[name="trigger"]', 'handoff_ended');
    await page.click('form.range button');
    await page.waitForURL(/trigger=handoff_ended/);
    expect(await page.textContent('#kpi-satisfactionRate .value')).toBe('0.0%');
    await page.click('#kpi-satisfactionRate .value a');
    await page.waitForURL(/\/dashboard\/rows\?/);
    const rows = await page.textContent('#rows');
    expect(rows).toContain(comment);
    expect(rows).toContain('林小美');
    await page.click('#rows td a');
    await page.waitForURL(/\/dashboard\/conversations\//);
    expect(await page.textContent('#transcript')).toContain(comment);

    await page.goto(`${bot.app.url}/dashboard?from=2026-11-20&to=2026-11-26&lang=en-US`);
    expect(await page.textContent('#kpi-satisfactionRate .label')).toBe('Satisfaction (share of 4-5)');
    if (process.env.KEFU_SCREENSHOTS) await page.screenshot({ path: path.join(__dirname, '../../docs/dashboard-en-US.png'), fullPage: true });
  });
});
