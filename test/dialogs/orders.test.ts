import { formatDate, formatDateTime, formatYuan } from '../../dialogs/format';
import type { Locale } from '../../src/config/locales';
import type { OrderWithItems } from '../../src/features/orders/orderService';
import { DialogEnv, LOCALES, NOW, TZ, buttons, config, t } from './support';

const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

/** The index-th order (by number) matching a filter: each locale's run works on its own orders. */
async function order(where: Parameters<typeof env.db.order.findMany>[0] extends infer A ? (A extends { where?: infer W } ? W : never) : never, index = 0): Promise<OrderWithItems> {
  const found = await env.db.order.findMany({ where, include: { items: { orderBy: { id: 'asc' } } }, orderBy: { number: 'asc' } });
  const o = found[index];
  if (!o) throw new Error(`no order #${index} for ${JSON.stringify(where)}`);
  return o;
}

function items(locale: Locale, o: OrderWithItems): string {
  return o.items
    .map((i) => t(locale, 'orders.item', { name: locale === 'en-US' ? (i.nameEn ?? i.name) : i.name, quantity: i.quantity, price: formatYuan(i.unitPrice) }))
    .join(t(locale, 'orders.itemSeparator'));
}

const say = {
  where: (l: Locale, n = '') => (l === 'zh-CN' ? `我的订单${n}到哪了` : `where is my order ${n}`.trim()),
  cancel: (l: Locale, n: string) => (l === 'zh-CN' ? `取消订单${n}` : `cancel order ${n}`),
  address: (l: Locale, n: string) => (l === 'zh-CN' ? `订单${n}修改收货地址` : `change the delivery address of ${n}`),
  second: (l: Locale) => (l === 'zh-CN' ? '第二个' : 'the second one'),
  yes: (l: Locale) => (l === 'zh-CN' ? '是的' : 'yes'),
};

describe.each(LOCALES)('order status (%s)', (locale) => {
  const i = LOCALES.indexOf(locale);

  test('when a customer asks about their shipped order by number, then status, items, carrier, tracking number, shipped and expected delivery are shown', async () => {
    const o = await order({ status: 'SHIPPED' }, i);
    const chat = await env.chat({ customerId: o.customerId, locale });
    const [text] = await chat.texts(say.where(locale, o.number));
    const expected = new Date((o.shippedAt as Date).getTime() + config.DELIVERY_ESTIMATE_DAYS * 86_400_000);
    expect(text.split('\n')).toEqual([
      t(locale, 'orders.tracking.title', { number: o.number, date: formatDate(o.createdAt, locale, TZ) }),
      t(locale, 'orders.tracking.status', { status: t(locale, 'orders.status.SHIPPED') }),
      t(locale, 'orders.tracking.items', { items: items(locale, o) }),
      t(locale, 'orders.tracking.total', { total: formatYuan(o.total) }),
      t(locale, 'orders.tracking.carrier', { carrier: o.carrier as string, tracking: o.trackingNumber as string }),
      t(locale, 'orders.tracking.shipped', { at: formatDateTime(o.shippedAt as Date, locale, TZ) }),
      t(locale, 'orders.tracking.expected', { date: formatDate(expected, locale, TZ) }),
    ]);
  });

  test('when a customer asks without a number, then their recent orders are offered as buttons and "the second one" picks the second', async () => {
    const customer = await env.db.customer.findFirstOrThrow({ where: { orders: { some: {} } }, orderBy: { externalId: 'asc' }, skip: 10 + i });
    const recent = await env.db.order.findMany({ where: { customerId: customer.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: config.ORDER_PICK_LIMIT });
    const chat = await env.chat({ customerId: customer.id, locale });
    const [prompt] = await chat.say(say.where(locale));
    expect((prompt.text ?? '').split('\n')[0]).toBe(t(locale, 'orders.pick'));
    expect(buttons(prompt).map((b) => b.split(' ')[0])).toEqual(recent.map((o) => o.number));
    if (recent.length < 2) return;
    const [details] = await chat.texts(say.second(locale));
    expect(details.split('\n')[0]).toBe(t(locale, 'orders.tracking.title', { number: recent[1].number, date: formatDate(recent[1].createdAt, locale, TZ) }));
  });

  test("when a customer gives another customer's order number, then it is not found among their orders and nothing of it is shown", async () => {
    const mine = await order({ status: 'DELIVERED' }, i);
    const theirs = await order({ customerId: { not: mine.customerId }, status: 'SHIPPED' }, i);
    const chat = await env.chat({ customerId: mine.customerId, locale });
    const texts = await chat.texts(say.where(locale, theirs.number));
    expect(texts).toEqual([t(locale, 'orders.notFound', { number: theirs.number })]);
    expect(texts.join()).not.toContain(theirs.trackingNumber as string);
  });

  test('when the order number does not exist, then the customer is told it is not among their orders', async () => {
    const o = await order({ status: 'DELIVERED' }, i);
    const chat = await env.chat({ customerId: o.customerId, locale });
    expect(await chat.texts(say.where(locale, 'KF209901010001'))).toEqual([t(locale, 'orders.notFound', { number: 'KF209901010001' })]);
  });

  test('when the customer is not signed in, then they are asked to sign in and no order is looked up', async () => {
    const chat = await env.chat({ locale, verified: false });
    const [text] = await chat.texts(say.where(locale, 'KF202611230001'));
    expect(text).toBe(t(locale, 'webchat.signInRequired'));
  });
});

describe.each(LOCALES)('cancel an order (%s)', (locale) => {
  const i = LOCALES.indexOf(locale);

  test('when a paid order is cancelled after confirmation, then it is CANCELLED with cancelledAt, the refund is announced and the change is audit-logged by the customer', async () => {
    const o = await order({ status: 'PAID' }, i);
    const chat = await env.chat({ customerId: o.customerId, locale });
    const [confirm] = await chat.say(say.cancel(locale, o.number));
    expect(confirm.text).toBe(t(locale, 'orders.cancel.confirm', { number: o.number, items: items(locale, o), total: formatYuan(o.total) }));
    expect(buttons(confirm)).toEqual([t(locale, 'orders.cancel.yes'), t(locale, 'orders.cancel.no')]);
    expect(await chat.texts(say.yes(locale))).toEqual([t(locale, 'orders.cancel.donePaid', { number: o.number, total: formatYuan(o.total) })]);
    const after = await env.db.order.findUniqueOrThrow({ where: { id: o.id } });
    expect(after).toMatchObject({ status: 'CANCELLED', cancelledAt: NOW });
    const audit = await env.db.auditLog.findMany({ where: { entity: 'Order', entityId: o.id } });
    expect(audit).toEqual([expect.objectContaining({ actorType: 'customer', actorId: o.customerId, action: 'order.cancel', before: { status: 'PAID' } })]);
  });

  test('when the customer says no, then the order is kept', async () => {
    const o = await order({ status: 'PAID' }, 2 + i);
    const chat = await env.chat({ customerId: o.customerId, locale });
    await chat.say(say.cancel(locale, o.number));
    expect(await chat.texts(t(locale, 'orders.cancel.no'))).toEqual([t(locale, 'orders.cancel.kept', { number: o.number })]);
    expect((await env.db.order.findUniqueOrThrow({ where: { id: o.id } })).status).toBe('PAID');
  });

  test('when the order has shipped, then it is not cancelled, the customer is told why and offered to check it', async () => {
    const o = await order({ status: 'SHIPPED' }, i);
    const chat = await env.chat({ customerId: o.customerId, locale });
    const [reply] = await chat.say(say.cancel(locale, o.number));
    expect(reply.text).toBe(t(locale, 'orders.cancel.shipped', { number: o.number, status: t(locale, 'orders.status.SHIPPED') }));
    expect((await env.db.order.findUniqueOrThrow({ where: { id: o.id } })).status).toBe('SHIPPED');
    expect(await env.db.auditLog.count({ where: { entity: 'Order', entityId: o.id } })).toBe(0);
  });
});

describe.each(LOCALES)('change the delivery address (%s)', (locale) => {
  const i = LOCALES.indexOf(locale);
  const newAddress = locale === 'zh-CN' ? '上海市徐汇区漕溪北路 88 号 5 楼' : '88 Caoxi Rd N, Xuhui District, Shanghai';

  test('when a new address is given for an order not yet shipped, then a bad one is re-asked, the good one is saved after confirmation and audit-logged with before and after', async () => {
    const o = await order({ status: { in: ['PAID', 'CREATED'] } }, 4 + i);
    const chat = await env.chat({ customerId: o.customerId, locale });
    expect(await chat.texts(say.address(locale, o.number))).toEqual([t(locale, 'orders.address.ask', { number: o.number, current: o.shippingAddress })]);
    expect(await chat.texts(locale === 'zh-CN' ? '北京' : 'abc')).toEqual([t(locale, 'orders.address.retry')]);
    expect(await chat.texts(newAddress)).toEqual([t(locale, 'orders.address.confirm', { number: o.number, address: newAddress })]);
    expect(await chat.texts(say.yes(locale))).toEqual([t(locale, 'orders.address.done', { number: o.number, address: newAddress })]);
    expect((await env.db.order.findUniqueOrThrow({ where: { id: o.id } })).shippingAddress).toBe(newAddress);
    const audit = await env.db.auditLog.findFirstOrThrow({ where: { entity: 'Order', entityId: o.id, action: 'order.address' } });
    expect(audit).toMatchObject({ actorType: 'customer', actorId: o.customerId, before: { shippingAddress: o.shippingAddress }, after: { shippingAddress: newAddress } });
  });

  test('when the address is refused three times, then the dialog ends with the offer of a person and nothing changes', async () => {
    const o = await order({ status: { in: ['PAID', 'CREATED'] } }, 6 + i);
    const chat = await env.chat({ customerId: o.customerId, locale });
    await chat.say(say.address(locale, o.number));
    expect(await chat.texts(locale === 'zh-CN' ? '短' : 'x')).toEqual([t(locale, 'orders.address.retry')]);
    expect(await chat.texts('12')).toEqual([t(locale, 'orders.address.retry')]);
    const [giveUp] = await chat.say('!!');
    expect(giveUp.text).toBe(t(locale, 'dialogs.common.giveUp'));
    expect(buttons(giveUp)).toEqual([t(locale, 'messages.menu.human')]);
    expect((await env.db.order.findUniqueOrThrow({ where: { id: o.id } })).shippingAddress).toBe(o.shippingAddress);
  });

  test('when the order has shipped, then the address is not changed and a return or a person is offered', async () => {
    const o = await order({ status: 'SHIPPED' }, 2 + i);
    const chat = await env.chat({ customerId: o.customerId, locale });
    const [reply] = await chat.say(say.address(locale, o.number));
    expect(reply.text).toBe(t(locale, 'orders.address.tooLate', { number: o.number, status: t(locale, 'orders.status.SHIPPED') }));
    expect(buttons(reply)).toEqual([t(locale, 'returns.menu'), t(locale, 'messages.menu.human')]);
  });
});
