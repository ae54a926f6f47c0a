import type { Locale } from '../../src/config/locales';
import { DialogEnv, type Turn } from './support';

/*
 * "退款什么时候到账" / "has my refund gone through yet": the customer's refunds and the returns under
 * way, not every ticket they have. Each case has a customer of its own, with the orders and tickets
 * written here (the fixed clock: 2026-11-26 10:00 in Shanghai).
 */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

let serial = 0;
async function customer(with_: { refunded?: boolean; openReturn?: boolean; complaint?: boolean }): Promise<string> {
  serial++;
  const c = await env.db.customer.create({ data: { name: `Refund ${serial}`, externalId: `REFUND-${serial}` } });
  const base = { customerId: c.id, currency: 'CNY', shippingName: '张三', shippingPhone: '13800000000', shippingAddress: '上海市', createdAt: new Date('2026-11-10T02:00:00Z') };
  if (with_.refunded) {
    await env.db.order.create({
      data: { ...base, number: `KF2099010${serial}001`, status: 'RETURNED', itemsTotal: 89900, total: 89900, refundedTotal: 89900, deliveredAt: new Date('2026-11-15T02:00:00Z'), returnedAt: new Date('2026-11-20T07:00:00Z') },
    });
  }
  if (with_.openReturn) {
    await env.db.ticket.create({ data: { number: `T2026112600${90 + serial}`, customerId: c.id, category: 'return', status: 'OPEN', summary: 'return' } });
  }
  if (with_.complaint) {
    await env.db.ticket.create({ data: { number: `T2026112600${50 + serial}`, customerId: c.id, category: 'complaint', status: 'OPEN', summary: 'complaint' } });
  }
  return c.id;
}

describe('a question about a refund', () => {
  test.each<[Locale, Turn]>([
    ['zh-CN', ['退款什么时候到账？', ['您的退款：', '已退款 ¥899.00（2026年11月20日 15:00 退货）', '退款原路退回，通常 1-3 个工作日到账'], { replies: 1, dialog: null, absent: ['T2026112600'] }]],
    ['en-US', ['has my refund gone through yet?', ['Your refunds:', '¥899.00 refunded (returned Nov 20, 2026, 3:00 PM)', 'usually arrive within 1-3 working days'], { replies: 1, dialog: null, absent: ['T2026112600'] }]],
  ])('(%s) when the customer has a refunded order, then its amount, the return\'s date and when refunds arrive are shown, not their other tickets', async (locale, turn) => {
    const customerId = await customer({ refunded: true, complaint: true });
    const chat = await env.chat({ customerId, locale });
    await chat.play([turn]);
  });

  test.each<[Locale, Turn]>([
    ['zh-CN', ['我的退款怎么还没到账', ['处理中的退换货工单：', '｜退货｜'], { replies: 1, absent: ['您的退款：', '投诉'] }]],
    ['en-US', ['where is my refund', ['Returns and exchanges under way:', 'Return'], { replies: 1, absent: ['Your refunds:', 'Complaint'] }]],
  ])('(%s) when the customer has a return under way and no refund yet, then the return is shown', async (locale, turn) => {
    const customerId = await customer({ openReturn: true, complaint: true });
    await (await env.chat({ customerId, locale })).play([turn]);
  });

  test.each<[Locale, Turn]>([
    ['zh-CN', ['退款到账了吗', ['您目前没有已退款的订单，也没有处理中的退换货工单'], { replies: 1 }]],
    ['en-US', ['did my refund come through?', ['You have no refunded orders and no return or exchange under way'], { replies: 1 }]],
  ])('(%s) when the customer has neither, then they are told so and how to start a return', async (locale, turn) => {
    const customerId = await customer({});
    await (await env.chat({ customerId, locale })).play([turn]);
  });
});
