import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';
import { WELCOME, expectInOrder } from '../support/reads';

/*
 * The whole way through the real server: the app on the fixed clock (Thursday 2026-11-26 10:00 in
 * Shanghai) loads the demo shop, in which customer C1014 received order KF202611160001 (one power bank)
 * on Saturday 21 Nov at 15:41, so the return window ends on 28 Nov at 15:41 and a return ticket opened
 * now is due one working day later, on Friday 27 Nov at 10:00.
 */
describe.each(PROVIDERS)('a return requested in chat over HTTP (%s store)', (provider) => {
  const bot = new TestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false', DB_SEED_ON_START: 'true' });
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  test('when a signed-in customer greets and asks to return a delivered item, then a return ticket is opened with its number and reply time, and the whole conversation is stored', async () => {
    const db = bot.app.store.db;
    const order = await db.order.findUniqueOrThrow({ where: { number: 'KF202611160001' }, include: { customer: true } });
    expect(order.customer.externalId).toBe('C1014');
    // The shop login linked this chat user to the demo customer (as the web chat's sign-in does for Direct Line).
    await db.channelAccount.create({ data: { channelId: 'test', channelUserId: 'user-c-return', customerId: order.customerId } });

    const c = { conversationId: 'c-return', locale: 'zh-CN' };
    const welcome = await bot.say({ ...c, text: '你好' }, 3);
    expect(welcome).toHaveLength(3);
    expectInOrder('你好', welcome.join('\n'), WELCOME['zh-CN']);
    expect(await bot.say({ ...c, text: '我要退货，订单号 KF202611160001' })).toEqual(['请问是什么原因？']);
    expect(await bot.say({ ...c, text: '质量问题' })).toEqual(['请发送问题部位的照片（可以发多张），或点击“跳过”。']);
    const [confirm] = await bot.say({ ...c, text: '跳过' });
    // Each line ends with a Markdown hard break (two spaces): Web Chat renders a bare "\n" as a space.
    expect(confirm).toBe('订单 KF202611160001 申请退货：20000mAh 充电宝 ×1。  \n因质量问题退换，退回运费由我们承担。请在 2026年11月28日 15:41 前提交申请。  \n确认提交吗？');
    const [opened] = await bot.say({ ...c, text: '确认提交' });
    expect(opened).toBe('您的退货申请已提交，工单号 T202611260001。我们会在 1 个工作日内回复您，最晚不超过 2026年11月27日 10:00。');

    const ticket = await db.ticket.findUniqueOrThrow({ where: { number: 'T202611260001' } });
    expect(ticket).toMatchObject({ category: 'return', status: 'NEW', customerId: order.customerId, orderId: order.id, dueAt: new Date('2026-11-27T10:00:00+08:00') });

    const conversation = await db.conversation.findUniqueOrThrow({
      where: { channelId_channelConversationId: { channelId: 'test', channelConversationId: 'c-return' } },
      include: { messages: { orderBy: [{ timestamp: 'asc' }, { createdAt: 'asc' }] } },
    });
    expect(conversation.customerId).toBe(order.customerId);
    expect(ticket.conversationId).toBe(conversation.id);
    const inbound = conversation.messages.filter((m) => m.direction === 'INBOUND').map((m) => m.text);
    const outbound = conversation.messages.filter((m) => m.direction === 'OUTBOUND').map((m) => m.text);
    expect(inbound).toEqual(['你好', '我要退货，订单号 KF202611160001', '质量问题', '跳过', '确认提交']);
    expect(outbound).toHaveLength(7);
    expect(outbound.slice(3)).toEqual(['请问是什么原因？', '请发送问题部位的照片（可以发多张），或点击“跳过”。', confirm, opened]);
  });
});
