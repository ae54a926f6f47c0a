import type { Page } from 'playwright-core';
import { startWebChatApp, type WebChatTestApp } from '../directline/support';
import { waitUntil } from '../support/wait';
import { BOT_BUBBLES, SEND_BOX, launchBrowser, type TestBrowser } from './browser';

/*
 * Two pages at once in headless Chromium: a customer in the shop's web chat and an agent in the
 * console. The customer asks for a person, the agent accepts, they write to each other, the agent
 * ends, and the customer has the bot again. KEFU_SCREENSHOTS=1 also saves the console to docs/.
 */
describe('a live chat between the web chat and the agent console in headless Chromium', () => {
  let t: WebChatTestApp;
  let chrome: TestBrowser;

  beforeAll(async () => {
    [t, chrome] = await Promise.all([startWebChatApp('handoff'), launchBrowser()]);
    const { agent } = await t.app.features.tickets.agents.create({ name: '林小美', role: 'agent' });
    await t.app.staff.accounts.setPassword(agent.id, 'lin', 'lin-password-1');
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
    await t?.stop();
  });

  async function signInToConsole(page: Page): Promise<void> {
    await page.goto(`${t.app.url}/staff/signin?lang=zh-CN&next=/agent`);
    await page.fill('#login', 'lin');
    await page.fill('#password', 'lin-password-1');
    await page.click('#submit');
    await page.waitForURL(`${t.app.url}/agent`);
    await page.getByText('已连接').waitFor();
  }

  test('when the customer asks for a person, then the agent accepts, they talk both ways, the agent ends, and the customer sees the bot again', async () => {
    const agentContext = await chrome.visitor({ locale: 'zh-CN' });
    const customerContext = await chrome.visitor({ locale: 'zh-CN' });
    try {
      const agent = await agentContext.newPage();
      await signInToConsole(agent);
      await agent.getByText('暂无排队的客户').waitFor();

      const customer = await customerContext.newPage();
      await customer.goto(`${t.app.url}/?lang=zh-CN`);
      await customer.selectOption('#demo-account', 'C1001');
      await customer.click('.kefu-launcher');
      await customer.locator(SEND_BOX).waitFor();
      await customer.locator(SEND_BOX).fill('转人工');
      await customer.keyboard.press('Enter');
      await customer.locator(BOT_BUBBLES, { hasText: '排在第 1 位' }).waitFor();

      const item = agent.getByTestId('queue-item');
      await item.waitFor();
      await item.getByRole('button', { name: '接入' }).click();
      await agent.getByTestId('transcript').getByText('转人工').first().waitFor();
      await customer.locator(BOT_BUBBLES, { hasText: '林小美 已接入' }).waitFor();

      const box = agent.getByRole('textbox', { name: '消息' });
      await box.fill('您好，我是林小美，请问有什么可以帮您？');
      await box.press('Enter');
      await customer.locator(BOT_BUBBLES, { hasText: '我是林小美' }).waitFor();

      // The customer types Chinese through the input method's path (inserted text, not key presses).
      await customer.locator(SEND_BOX).click();
      await customer.keyboard.insertText('我的包裹三天没有动了');
      await customer.keyboard.press('Enter');
      await agent.getByTestId('transcript').getByText('我的包裹三天没有动了').waitFor();

      // Typing shows in the console while the customer types (Web Chat sends typing activities).
      await customer.locator(SEND_BOX).click();
      await customer.keyboard.type('还有');
      await agent.getByTestId('customer-typing').getByText('客户正在输入…').waitFor();
      await customer.locator(SEND_BOX).fill('');

      // An internal note, shown in the case card; a ticket from the chat, its summary prefilled.
      await agent.getByRole('textbox', { name: '内部备注' }).fill('老客户，语气要耐心');
      await agent.getByRole('button', { name: '添加备注' }).click();
      await agent.getByTestId('note').getByText('老客户，语气要耐心').waitFor();
      await agent.getByRole('button', { name: '开工单 / 更新工单' }).click();
      expect(await agent.getByRole('textbox', { name: '摘要' }).inputValue()).toContain('我的包裹三天没有动了');
      await agent.getByRole('button', { name: '保存' }).click();
      await agent.getByTestId('ticket-saved').getByText(/已创建工单 T\d+/).waitFor();
      expect(await customer.locator(BOT_BUBBLES, { hasText: '老客户' }).count()).toBe(0);
      if (process.env.KEFU_SCREENSHOTS) await agent.screenshot({ path: 'docs/agent-console-zh-CN.png' });

      await agent.getByRole('button', { name: '结束服务' }).click();
      await customer.locator(BOT_BUBBLES, { hasText: '人工服务已结束' }).waitFor();
      const before = await customer.locator(BOT_BUBBLES).count();
      await customer.locator(SEND_BOX).fill('我的积分');
      await customer.keyboard.press('Enter');
      await waitUntil(async () => (await customer.locator(BOT_BUBBLES).count()) > before, 'a bot reply after the handoff ended');
      await customer.locator(BOT_BUBBLES, { hasText: '积分' }).last().waitFor();
    } finally {
      await agentContext.close();
      await customerContext.close();
    }
  }, 180_000);

  test('when the agent waits on the customer for a ticket, then the customer answers in the web chat, is told it was added, and the alert appears on the agent\'s console', async () => {
    const agentContext = await chrome.visitor({ locale: 'zh-CN' });
    const customerContext = await chrome.visitor({ locale: 'zh-CN' });
    try {
      const agent = await agentContext.newPage();
      await signInToConsole(agent);

      const customer = await customerContext.newPage();
      await customer.goto(`${t.app.url}/?lang=zh-CN`);
      await customer.selectOption('#demo-account', 'C1002');
      await customer.click('.kefu-launcher');
      await customer.locator(SEND_BOX).waitFor();
      await customer.locator(BOT_BUBBLES).first().waitFor();
      const chat = await t.app.store.db.conversation.findFirstOrThrow({ where: { channelId: 'directline' }, orderBy: { startedAt: 'desc' } });
      const lin = await t.app.store.db.agent.findFirstOrThrow({ where: { login: 'lin' } });
      const tickets = t.app.features.tickets.tickets;
      const ticket = await tickets.open({ customerId: chat.customerId as string, conversationId: chat.id, category: 'return', summary: '杯子收到时已破损', locale: 'zh-CN', actor: { type: 'bot' } });
      await tickets.assign(ticket.id, lin.id, { type: 'agent', id: lin.id });
      await tickets.changeStatus(ticket.id, 'OPEN', { type: 'agent', id: lin.id });
      await tickets.changeStatus(ticket.id, 'PENDING_CUSTOMER', { type: 'agent', id: lin.id });
      await customer.locator(BOT_BUBBLES, { hasText: '需要您补充一些信息' }).waitFor();

      await customer.locator(SEND_BOX).click();
      await customer.keyboard.insertText('杯子把手断了，盒子是好的');
      await customer.keyboard.press('Enter');
      await customer.locator(BOT_BUBBLES, { hasText: `已添加到工单 ${ticket.number}` }).waitFor();
      const alert = agent.getByTestId('ticket-alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain(`客户回复了工单 ${ticket.number}：杯子把手断了，盒子是好的`);
      await alert.getByRole('button', { name: '知道了' }).click();
      await alert.waitFor({ state: 'detached' });
    } finally {
      await agentContext.close();
      await customerContext.close();
    }
  }, 180_000);
});
