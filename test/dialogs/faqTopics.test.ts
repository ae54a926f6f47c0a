import type { Locale } from '../../src/config/locales';
import { DialogEnv, buttons, i18n, type Turn } from './support';

/* FAQ topics customers ask about: coupons, price protection (价保), Hong Kong / overseas shipping, payment methods (花呗, PayPal), warranty. */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

test.each<[Locale, Turn[]]>([
  [
    'zh-CN',
    [
      ['优惠券怎么用', ['结算页选择可用的优惠券'], { dialog: null, absent: ['积分'] }],
      ['买了两天就降价了 能价保吗', ['签收后 7 天内', '申请价保'], { absent: ['维修'] }],
      ['能寄到香港吗', ['香港、澳门和台湾', '5-8 个工作日']],
      ['可以用花呗吗', ['花呗（可分期）']],
      ['充电宝保修多久', ['1 年保修']],
    ],
  ],
  [
    'en-US',
    [
      ['how do I use a coupon', ['At checkout, pick a coupon'], { dialog: null, absent: ['points'] }],
      ['it got cheaper, price protection?', ['within 7 days after delivery', 'claim the difference']],
      ['do you ship to Hong Kong?', ['Hong Kong, Macao and Taiwan', '5-8 working days']],
      ['can I pay with PayPal', ['PayPal']],
      ['how long is the warranty on a power bank', ['1-year warranty']],
    ],
  ],
])('(%s) when a customer asks about coupons, price protection, shipping to Hong Kong, PayPal / 花呗 or the warranty, then the shop answer comes', async (locale, turns) => {
  await (await env.chat({ locale })).play(turns);
});

test.each<[Locale, Turn[]]>([
  [
    'zh-CN',
    [
      ['我手上有一张之前活动送的券，结账的时候怎么都找不到地方填，这张优惠券到底要怎么使用啊', ['结算页选择可用的优惠券'], { dialog: null, absent: ['积分'] }],
      ['我想把我的积分换成优惠券，现在大概有两千多积分，能换几张', ['积分'], { absent: ['结算页选择可用的优惠券'] }],
    ],
  ],
  [
    'en-US',
    [
      ["I have a coupon from your newsletter but when I go to checkout I can't see where to enter it, how do I actually use it", ['At checkout, pick a coupon'], { dialog: null, absent: ['points'] }],
      ["I bought a rice cooker from you about three months ago and I'd like to know how long the warranty lasts and whether it covers the heating plate", ['1-year warranty']],
      ['I would like to use my points to get a coupon, I think I have about two thousand points by now', ['points'], { absent: ['At checkout, pick a coupon'] }],
    ],
  ],
])('(%s) when a long message is about a coupon or the warranty, then the shop answer comes; one that speaks of points stays with the points', async (locale, turns) => {
  await (await env.chat({ shopId: 'C1041', locale })).play(turns);
});

test.each<[Locale, string[]]>([
  ['zh-CN', ['我要开专票', '能开公司抬头吗', '普票和专票都能开吗']],
  ['en-US', ['can I get a VAT invoice', 'I need my company name on the fapiao']],
])('(%s) when a customer asks for a special VAT invoice or a company title in the words invoices are asked with, then the invoice answer comes', async (locale, questions) => {
  const invoice = await (await env.chat({ locale })).texts(i18n.t(locale, 'faq.topics.invoice.title'));
  for (const text of questions) expect({ text, replies: await (await env.chat({ locale })).texts(text) }).toEqual({ text, replies: invoice });
});

test.each<[Locale, string[]]>([
  ['zh-CN', ['怎么联系你们', '你们的营业时间', '人工客服几点上班', '客服电话多少']],
  ['en-US', ['how can I contact you', 'what are your opening hours', 'what time do agents start work? what are your business hours', "what's your phone number"]],
])('(%s) when a customer asks how to reach the shop or when agents work, then the hours of the working-day calendar come, and no ticket is opened', async (locale, questions) => {
  const contact = i18n.t(locale, 'faq.topics.contact.answer', { open: '09:00', close: '18:00' });
  for (const text of questions) {
    const chat = await env.chat({ locale });
    expect({ text, replies: await chat.texts(text) }).toEqual({ text, replies: [contact] });
    expect(await env.db.ticket.count({ where: { conversationId: chat.who.conversationId } })).toBe(0);
  }
});

test.each<[Locale, string[], string[]]>([
  ['zh-CN', ['怎么申请售后', '售后'], ['退换货', '维修', '我要投诉', '我的工单']],
  ['en-US', ['how do I get after-sales service', 'after-sales'], ['Returns & exchanges', 'Repair', 'Make a complaint', 'My tickets']],
])('(%s) when a customer asks about after-sales service, then what it covers comes with a button for each request, and a click starts it', async (locale, questions, actions) => {
  const answer = i18n.t(locale, 'faq.topics.afterSales.answer', { days: 7 });
  for (const text of questions) {
    const chat = await env.chat({ locale, shopId: locale === 'zh-CN' ? 'C1003' : 'C1030' });
    const replies = await chat.say(text);
    expect({ text, replies: replies.map((r) => r.text) }).toEqual({ text, replies: [answer] });
    expect(buttons(replies[0]).slice(0, 4)).toEqual(actions);
  }
  const chat = await env.chat({ locale, shopId: locale === 'zh-CN' ? 'C1003' : 'C1030' });
  await chat.say(questions[0]);
  await chat.say(actions[1]);
  expect(await chat.dialogs()).toContain('kefu.repair');
});

test.each<[Locale, string]>([
  ['zh-CN', '我的售后进度'],
  ['en-US', 'what is the status of my after-sales request'],
])('(%s) when a customer asks how their after-sales request is going, then their tickets are shown', async (locale, text) => {
  const tickets = await (await env.chat({ locale })).texts(i18n.t(locale, 'tickets.menu.ticketStatus'));
  expect(await (await env.chat({ locale })).texts(text)).toEqual(tickets);
});

test.each<[Locale, string[]]>([
  ['zh-CN', ['这个商品还有货吗', '羽绒服什么时候补货']],
  ['en-US', ['is this item in stock', 'when will the jacket be back in stock']],
])('(%s) when a customer asks about stock, then the bot says where stock shows and offers a person to check a restock', async (locale, questions) => {
  const answer = i18n.t(locale, 'faq.topics.stock.answer');
  for (const text of questions) {
    const replies = await (await env.chat({ locale })).say(text);
    expect({ text, replies: replies.map((r) => r.text) }).toEqual({ text, replies: [answer] });
    expect(buttons(replies[0])).toContain(i18n.t(locale, 'messages.menu.human'));
  }
});
