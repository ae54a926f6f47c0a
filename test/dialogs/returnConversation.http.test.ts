import { formatDateTime } from '../../dialogs/format';
import { I18n } from '../../src/i18n/i18n';
import { seed } from '../../src/store/seed';
import { calendar } from '../tickets/support';
import { PROVIDERS } from '../support/db';
import { TestBot } from '../support/harness';

const i18n = new I18n();
const DAY = 86_400_000;

describe.each(PROVIDERS)('a return requested in chat over HTTP (%s store)', (provider) => {
  const bot = new TestBot(provider, { TICKETS_SLA_WATCH_ENABLED: 'false' });
  beforeAll(async () => {
    await bot.start();
    await seed(bot.app.store.db, { now: new Date() });
  }, 60_000);
  afterAll(() => bot.stop());

  test('when a signed-in customer greets and asks to return a delivered item, then a return ticket is opened with its number and reply time, and the whole conversation is stored', async () => {
    const db = bot.app.store.db;
    const since = new Date(Date.now() - 7 * DAY + 3_600_000);
    const candidates = await db.order.findMany({ where: { status: 'DELIVERED', deliveredAt: { gte: since } }, include: { items: true }, orderBy: { number: 'asc' } });
    const order = candidates.find((o) => o.items.length === 1);
    if (!order) throw new Error('the demo shop has no single-item order delivered in the last 7 days');
    // The shop login linked this chat user to the demo customer (as the web chat's sign-in does for Direct Line).
    await db.channelAccount.create({ data: { channelId: 'test', channelUserId: 'user-c-return', customerId: order.customerId } });

    const c = { conversationId: 'c-return', locale: 'zh-CN' };
    expect(await bot.say({ ...c, text: '你好' }, 3)).toEqual([
      i18n.t('zh-CN', 'messages.welcome.greeting'),
      i18n.t('zh-CN', 'messages.welcome.capabilities'),
      i18n.t('zh-CN', 'messages.welcome.prompt'),
    ]);
    expect(await bot.say({ ...c, text: `我要退货，订单号 ${order.number}` })).toEqual([i18n.t('zh-CN', 'returns.askReason')]);
    expect(await bot.say({ ...c, text: i18n.t('zh-CN', 'returns.reason.quality') })).toEqual([i18n.t('zh-CN', 'returns.askPhotosQuality')]);
    const [confirm] = await bot.say({ ...c, text: i18n.t('zh-CN', 'returns.skipPhotos') });
    expect(confirm).toContain(i18n.t('zh-CN', 'returns.confirm'));
    const [opened] = await bot.say({ ...c, text: i18n.t('zh-CN', 'returns.yes') });

    const ticket = await db.ticket.findFirstOrThrow({ where: { orderId: order.id } });
    expect(ticket).toMatchObject({ category: 'return', status: 'NEW', customerId: order.customerId, orderId: order.id });
    expect(ticket.dueAt).toEqual(calendar.addWorkingTime(ticket.createdAt, calendar.businessDayMs));
    expect(opened).toBe(
      i18n.t('zh-CN', 'returns.opened', {
        kind: i18n.t('zh-CN', 'returns.kind.return'),
        number: ticket.number,
        due: formatDateTime(ticket.dueAt as Date, 'zh-CN', 'Asia/Shanghai'),
      }),
    );

    const conversation = await db.conversation.findUniqueOrThrow({
      where: { channelId_channelConversationId: { channelId: 'test', channelConversationId: 'c-return' } },
      include: { messages: { orderBy: [{ timestamp: 'asc' }, { createdAt: 'asc' }] } },
    });
    expect(conversation.customerId).toBe(order.customerId);
    expect(ticket.conversationId).toBe(conversation.id);
    const inbound = conversation.messages.filter((m) => m.direction === 'INBOUND').map((m) => m.text);
    const outbound = conversation.messages.filter((m) => m.direction === 'OUTBOUND').map((m) => m.text);
    expect(inbound).toHaveLength(5);
    expect(inbound).toContain(`我要退货，订单号 ${order.number}`);
    expect(outbound).toHaveLength(7);
    expect(outbound).toContain(opened);
  });
});
