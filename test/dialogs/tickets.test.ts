import { formatDateTime, formatYuan } from '../../dialogs/format';
import type { Locale } from '../../src/config/locales';
import type { OrderWithItems } from '../../src/features/orders/orderService';
import { calendar } from '../tickets/support';
import { DialogEnv, LOCALES, NOW, TZ, buttons, config, t } from './support';

const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

const DAY = 86_400_000;
const FEE = formatYuan(config.RETURN_SHIPPING_FEE_YUAN * 100);

async function deliveredOrders(inWindow: boolean): Promise<OrderWithItems[]> {
  const since = new Date(NOW.getTime() - config.RETURN_WINDOW_DAYS * DAY);
  return env.db.order.findMany({
    where: { status: 'DELIVERED', deliveredAt: inWindow ? { gte: since } : { lt: since } },
    include: { items: { orderBy: { id: 'asc' } } },
    orderBy: { number: 'asc' },
  });
}

function itemLabel(locale: Locale, i: OrderWithItems['items'][number]): string {
  return t(locale, 'returns.itemButton', { name: locale === 'en-US' ? (i.nameEn ?? i.name) : i.name, quantity: i.quantity });
}

const due = (locale: Locale, at: Date | null) => formatDateTime(at as Date, locale, TZ);

describe.each(LOCALES)('returns and exchanges (%s)', (locale) => {
  const i = LOCALES.indexOf(locale);
  const zh = locale === 'zh-CN';

  test('when a delivered order has a quality problem, then photos are accepted, free return shipping is stated before confirming, and a return ticket answers within 1 working day', async () => {
    const o = (await deliveredOrders(true)).filter((x) => x.items.length === 1)[i];
    const chat = await env.chat({ customerId: o.customerId, locale });
    expect(await chat.texts(zh ? `我要退货 ${o.number}` : `I want to return ${o.number}`)).toEqual([t(locale, 'returns.askReason')]);
    expect(await chat.texts(t(locale, 'returns.reason.quality'))).toEqual([t(locale, 'returns.askPhotosQuality')]);
    expect(await chat.texts(zh ? '好的' : 'ok')).toEqual([t(locale, 'returns.photosRetry')]);
    const photo = { contentType: 'image/jpeg', contentUrl: `https://files.example.com/${locale}/broken.jpg`, name: 'broken.jpg' };
    const [confirm] = await chat.say({ attachments: [photo] });
    const deadline = formatDateTime(new Date((o.deliveredAt as Date).getTime() + config.RETURN_WINDOW_DAYS * DAY), locale, TZ);
    const vars = { kind: t(locale, 'returns.kind.return'), number: o.number, items: itemLabel(locale, o.items[0]), deadline, fee: FEE };
    expect(confirm.text).toBe([t(locale, 'returns.summary', vars), t(locale, 'returns.termsQuality', vars), t(locale, 'returns.confirm')].join('\n'));

    const [opened] = await chat.texts(t(locale, 'returns.yes'));
    const ticket = await env.db.ticket.findFirstOrThrow({ where: { customerId: o.customerId, orderId: o.id } });
    expect(ticket).toMatchObject({ category: 'return', status: 'NEW', orderId: o.id, conversationId: chat.who.conversationId });
    expect(ticket.summary).toContain(photo.contentUrl);
    expect(ticket.dueAt).toEqual(calendar.addWorkingTime(NOW, calendar.businessDayMs));
    expect(opened).toBe(t(locale, 'returns.opened', { kind: vars.kind, number: ticket.number, due: due(locale, ticket.dueAt) }));
  });

  test('when the customer changed their mind, then the return shipping fee is stated before they confirm, and declining opens nothing', async () => {
    const o = (await deliveredOrders(true)).filter((x) => x.items.length > 1)[i];
    const chat = await env.chat({ customerId: o.customerId, locale });
    const [kind] = await chat.say(t(locale, 'returns.menu'));
    expect(kind.text).toBe(t(locale, 'returns.askKind'));
    const [pick] = await chat.say(t(locale, 'returns.kind.exchange'));
    expect(buttons(pick).map((b) => b.split(' ')[0])).toContain(o.number);
    const [itemsPrompt] = await chat.say(o.number);
    expect(buttons(itemsPrompt)).toEqual([...o.items.map((x) => itemLabel(locale, x)), t(locale, 'returns.allItems')]);
    await chat.say(zh ? '第一个' : 'the first one');
    await chat.say(t(locale, 'returns.reason.change_of_mind'));
    const [confirm] = await chat.say(t(locale, 'returns.skipPhotos'));
    const deadline = formatDateTime(new Date((o.deliveredAt as Date).getTime() + config.RETURN_WINDOW_DAYS * DAY), locale, TZ);
    expect(confirm.text).toContain(t(locale, 'returns.termsChangeOfMind', { fee: FEE, deadline }));
    expect(confirm.text).toContain(t(locale, 'returns.summary', { kind: t(locale, 'returns.kind.exchange'), number: o.number, items: itemLabel(locale, o.items[0]) }));
    expect(await chat.texts(t(locale, 'dialogs.common.no'))).toEqual([t(locale, 'returns.declined')]);
    expect(await env.db.ticket.count({ where: { orderId: o.id } })).toBe(0);
  });

  test('when the return window has closed, then the customer gets the exact deadline and a complaint or a person is offered, and no ticket is opened', async () => {
    const o = (await deliveredOrders(false))[i];
    const chat = await env.chat({ customerId: o.customerId, locale });
    const [reply] = await chat.say(zh ? `${o.number} 我想退货` : `return ${o.number}`);
    const deadline = formatDateTime(new Date((o.deliveredAt as Date).getTime() + config.RETURN_WINDOW_DAYS * DAY), locale, TZ);
    expect(reply.text).toBe(t(locale, 'returns.windowClosed', { number: o.number, days: config.RETURN_WINDOW_DAYS, deadline }));
    expect(buttons(reply)).toEqual([t(locale, 'complaints.menu'), t(locale, 'messages.menu.human')]);
    expect(await env.db.ticket.count({ where: { orderId: o.id } })).toBe(0);
  });

  test('when the order has not been delivered yet, then the customer is told returns start after delivery', async () => {
    const o = (await env.db.order.findMany({ where: { status: 'SHIPPED' }, orderBy: { number: 'asc' } }))[i];
    const chat = await env.chat({ customerId: o.customerId, locale });
    const [reply] = await chat.texts(zh ? `${o.number} 我想退货` : `return ${o.number}`);
    expect(reply).toBe(t(locale, 'returns.notDelivered', { number: o.number, status: t(locale, 'orders.status.SHIPPED'), days: config.RETURN_WINDOW_DAYS }));
  });
});

describe.each(LOCALES)('repair (%s)', (locale) => {
  const i = LOCALES.indexOf(locale);
  const zh = locale === 'zh-CN';

  test('when a product of a delivered order needs repair, then an invalid phone is re-asked and a valid one opens a repair ticket with contact within 2 working days', async () => {
    const o = (await deliveredOrders(false))[2 + i];
    const chat = await env.chat({ customerId: o.customerId, locale });
    const [ask] = await chat.say(zh ? '东西坏了要维修' : 'my product is broken, I need a repair');
    expect(ask.text).toBe(t(locale, 'repairs.askProduct'));
    const first = buttons(ask)[0];
    expect(await chat.texts(zh ? '第一个' : 'the first one')).toEqual([t(locale, 'repairs.askProblem', { product: first })]);
    expect(await chat.texts(zh ? '开机后没有声音，充电也充不进' : 'no sound after switching on and it will not charge')).toEqual([t(locale, 'repairs.askPhone')]);
    expect(await chat.texts('12345')).toEqual([t(locale, 'repairs.phoneRetry')]);
    const phone = zh ? '+86 138-1234-5678' : '+44 20 7946 0958';
    const normalized = zh ? '13812345678' : '+442079460958';
    const [opened] = await chat.texts(phone);
    const ticket = await env.db.ticket.findFirstOrThrow({ where: { conversationId: chat.who.conversationId } });
    expect(ticket).toMatchObject({ category: 'repair', status: 'NEW' });
    expect(ticket.summary).toContain(normalized);
    expect(ticket.dueAt).toEqual(calendar.addWorkingTime(NOW, 2 * calendar.businessDayMs));
    expect(opened).toBe(t(locale, 'repairs.opened', { number: ticket.number, due: due(locale, ticket.dueAt), phone: normalized }));
  });
});

describe.each(LOCALES)('complaint (%s)', (locale) => {
  const zh = locale === 'zh-CN';

  test('when a customer complains about logistics, then a complaint ticket with that type promises a solution within 48 hours, apologises and offers a person', async () => {
    const chat = await env.chat({ locale });
    expect(await chat.texts(zh ? '我要投诉' : 'I want to make a complaint')).toEqual([t(locale, 'complaints.askType')]);
    expect(await chat.texts(t(locale, 'complaints.type.logistics'))).toEqual([t(locale, 'complaints.askStory')]);
    expect(await chat.texts(zh ? '快递员把包裹扔在门口，还淋湿了' : 'the courier left the parcel outside in the rain')).toEqual([t(locale, 'complaints.askWish')]);
    const [opened] = await chat.say(zh ? '希望道歉并补偿运费' : 'an apology and the shipping refunded');
    const ticket = await env.db.ticket.findFirstOrThrow({ where: { conversationId: chat.who.conversationId } });
    expect(ticket).toMatchObject({ category: 'complaint', complaintType: 'logistics', status: 'NEW' });
    expect(ticket.dueAt).toEqual(new Date(NOW.getTime() + 48 * 3_600_000));
    expect(opened.text).toBe(t(locale, 'complaints.opened', { number: ticket.number, due: due(locale, ticket.dueAt) }));
    expect(buttons(opened)).toEqual([t(locale, 'messages.menu.human')]);
  });
});
