import path from 'node:path';
import type { Page } from 'playwright-core';
import { TestBot } from '../support/harness';
import { waitUntil } from '../support/wait';
import { launchBrowser, type TestBrowser } from '../webchat/browser';
import { call, staffOfEveryRole } from './support';

/*
 * In headless Chromium: a customer's request to delete their data goes through the three people the
 * CRM rules ask for, each on the change requests page in their own browser: the supervisor and the
 * CRM head approve with a reason, the administrator carries it out; the customer is told in chat.
 * KEFU_SCREENSHOTS=1 also writes docs/changes-zh-CN.png.
 */
describe('the change requests page in a browser', () => {
  const bot = new TestBot('sqlite');
  let browser: TestBrowser;
  let staff: Record<string, { id: string; token: string }>;

  beforeAll(async () => {
    await bot.start();
    browser = await launchBrowser();
    staff = await staffOfEveryRole(bot, ['agent', 'supervisor', 'crm_head', 'admin']);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await bot.stop();
  });

  /** Opens the page as `login` in a fresh browser: the sign-in page first, then back to the list. */
  async function signedIn(login: string): Promise<Page> {
    const page = await (await browser.visitor({ locale: 'zh-CN' })).newPage();
    await page.goto(`${bot.app.url}/staff/changes?lang=zh-CN`);
    await page.waitForURL(/\/staff\/signin/);
    await page.fill('#login', login);
    await page.fill('#password', 'a-long-password-1');
    await page.click('#submit');
    await page.waitForURL(/\/staff\/changes/);
    return page;
  }

  async function decide(page: Page, id: string, reason: string, button: string): Promise<string> {
    const row = page.locator(`tr[data-id="${id}"]`);
    await row.locator('textarea[name="reason"]').fill(reason);
    await row.getByRole('button', { name: button, exact: true }).click();
    await page.locator('#flash').waitFor();
    return (await page.textContent('#flash')) ?? '';
  }

  test('when the supervisor and the CRM head approve and the administrator carries out a deletion on the page, then the customer is anonymised and told in chat', async () => {
    await bot.say({ conversationId: 'browser-delete', text: '你好', locale: 'zh-CN' });
    const conversation = await bot.app.store.db.conversation.findFirstOrThrow({ where: { channelConversationId: 'browser-delete' } });
    const customerId = conversation.customerId!;
    await bot.app.store.db.customer.update({ where: { id: customerId }, data: { locale: 'zh-CN', name: '钱先生', phone: '13800001111' } });
    const opened = await call(bot, 'POST', '/staff/api/change-requests', staff.agent.token, { customerId, kind: 'delete', reason: '客户来电要求删除个人数据' });
    const id = (opened.json.request as { id: string }).id;

    const supervisor = await signedIn('supervisor');
    const row = supervisor.locator(`tr[data-id="${id}"]`);
    expect(await row.locator('.status').textContent()).toBe('待主管审批');
    expect(await row.textContent()).toContain('钱先生');
    // The browser itself refuses an empty reason (required, at least 3 characters): nothing is sent.
    await row.getByRole('button', { name: '批准', exact: true }).click();
    expect(await row.locator('textarea[name="reason"]').evaluate((el) => (el as unknown as { validity: { valid: boolean } }).validity.valid)).toBe(false);
    expect(await decide(supervisor, id, '已核实客户身份', '批准')).toBe(`申请 ${id} 已批准，进入下一环节。`);
    expect(await supervisor.locator(`tr[data-id="${id}"] .status`).textContent()).toBe('待CRM负责人审批');

    const head = await signedIn('crm-head');
    expect(await decide(head, id, '主管已核实', '批准')).toBe(`申请 ${id} 已批准，进入下一环节。`);

    const admin = await signedIn('admin');
    if (process.env.KEFU_SCREENSHOTS) await admin.screenshot({ path: path.join(__dirname, '../../docs/changes-zh-CN.png'), fullPage: true });
    expect(await decide(admin, id, '按审批执行', '执行')).toBe(`申请 ${id} 已执行，系统会在对话中告知客户。`);
    expect(await admin.locator(`tr[data-id="${id}"]`).count()).toBe(0); // no longer open
    await admin.click('#filter');
    await admin.waitForURL(/all=1/);
    expect(await admin.locator(`tr[data-id="${id}"] .status`).textContent()).toBe('已执行');

    const customer = await bot.app.store.db.customer.findUniqueOrThrow({ where: { id: customerId } });
    expect(customer.name).toBeNull();
    expect(customer.phone).toBeNull();
    await bot.app.dispatcher.runUntilIdle();
    await waitUntil(() => bot.listener.texts('browser-delete').some((t) => t.includes('删除')), 'the customer is told in chat');
  }, 120_000);
});
