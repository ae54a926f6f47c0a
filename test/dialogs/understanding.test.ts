import type { Locale } from '../../src/config/locales';
import { type Chat, DialogEnv, LOCALES, buttons, i18n } from './support';

/** Which dialog a message reaches is read off the bot's own texts (the test compares routes, not wording). */
const t = (locale: Locale, key: string, vars: Record<string, string | number> = {}) => i18n.t(locale, key, vars);

/**
 * Issue 20: messages the way customers write them reach the right dialog. Each kind of message that
 * used to go wrong, in both languages, as a whole turn through the root dialog: the message in, the
 * dialog it reaches out (its first reply, compared with what clicking that dialog's own button gives).
 */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

type Cases = Record<(typeof LOCALES)[number], string[]>;

const CASE_UNDER_WAY: Cases = {
  'zh-CN': ['手机修好了没', '我的投诉有人处理吗'],
  'en-US': ['is my laptop repaired yet', "what's going on with my complaint"],
};
/** Questions about a refund under way: the refunds and returns answer (test/dialogs/refunds.test.ts). */
const REFUND_UNDER_WAY: Cases = {
  'zh-CN': ['退款到账了吗', '退货寄回去好几天了 钱呢'],
  'en-US': ['has my refund gone through yet', 'i returned it two weeks ago and still no money back'],
};
const NO_REFUNDS: Record<Locale, string> = { 'zh-CN': '您目前没有已退款的订单，也没有处理中的退换货工单。', 'en-US': 'You have no refunded orders and no return or exchange under way.' };
const OWN_DETAILS: Cases = {
  'zh-CN': ['我结婚了想改名字', '手机号换了', '更新我的资料'],
  'en-US': ['i got married and changed my name', 'i have a new phone number', 'update my info'],
};
const SMALL_TALK: Cases = {
  'zh-CN': ['你好吗', '很高兴认识你', '机器人你好', '你是机器人吗'],
  'en-US': ['how are you', 'nice to meet you', 'hello robot', 'are you a bot'],
};
const LEAVING: Cases = { 'zh-CN': ['我得走了', '先这样吧 拜拜'], 'en-US': ['i have to go', 'gotta go, bye'] };
/** Coupons have an FAQ answer of their own (faqTopics.test.ts). */
const OFFERS: Cases = {
  'zh-CN': ['邀请码在哪填', '信用卡积分能用吗'],
  'en-US': ['where do i put my referral code', 'can i use my card rewards'],
};
/** Discounts and deals: where the shop shows them, the coupons at checkout, points into coupons (with the points button). */
const DEALS: Cases = {
  'zh-CN': ['有没有优惠', '能便宜点吗', '最近有活动吗'],
  'en-US': ['do you have any discounts', 'any promotions right now', 'can you give me a discount'],
};
const PAYMENT: Cases = {
  'zh-CN': ['支付失败', '支持哪些支付方式', '退款多久到账'],
  'en-US': ['my payment failed', 'what payment methods do you accept', 'how long does a refund take'],
};
/** Money taken twice, or taken for an order still unpaid: the answer on payment problems (a person checks it), not the list of payment methods. */
const DOUBLE_CHARGE: Cases = {
  'zh-CN': ['扣了两次钱', '同一个订单重复扣款了怎么办', '钱扣了但是订单还显示待付款', '我已经付款了怎么还是待付款'],
  'en-US': ['i was charged twice', 'I got double charged for one order', 'the money was taken but my order still shows as unpaid', 'I paid but the order still says pending payment'],
};
/** Goods that arrived broken, short, unlike their photos or in the wrong size: a return or exchange (the order asked next). */
const ARRIVED_WRONG: Cases = {
  'zh-CN': ['包裹破了里面东西摔坏了', '衣服有色差', '东西收到了但是少了一件', '尺码偏小怎么办', '裤子短了能换吗'],
  'en-US': ['one item is missing from my package', 'the box was crushed and the vase inside is cracked', 'the colour is nothing like the photos', 'the shirt is too small, what can I do', 'these jeans are too long, can I swap them'],
};
/** A gift that did not come: a complaint. */
const MISSING_GIFT: Cases = {
  'zh-CN': ['赠品没收到', '下单送的礼品没有给我'],
  'en-US': ["I didn't get my free gift", 'the free gift was missing from my parcel'],
};
const OUT_OF_SCOPE: Cases = {
  'zh-CN': ['帮我叫个出租车', '帮我订个酒店', '明天天气怎么样', '帮我转账给朋友'],
  'en-US': ['book me a taxi', 'find me a hotel for tonight', "what's the weather tomorrow", 'transfer money to my friend'],
};
/** A fee is the shop's business when it came with paying the shop, a bank's when it came from a cash machine or a transfer. */
const FEES: Record<(typeof LOCALES)[number], { shop: string[]; bank: string[] }> = {
  'zh-CN': { shop: ['在你们这刷卡买东西怎么还扣手续费'], bank: ['取款机扣了我手续费', '跨行转账收了我手续费'] },
  'en-US': { shop: ['why did paying you by card cost me a fee'], bank: ['why did the cash machine charge me a fee', 'my bank charged a fee on the transfer to my sister'] },
};

describe.each(LOCALES)('customers in their own words (%s)', (locale) => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await env.chat({ locale });
  });

  /** What a fresh chat gets when the customer clicks (types) this button label. */
  async function clicking(label: string): Promise<string[]> {
    return (await env.chat({ locale })).texts(label);
  }

  test('when the customer asks about a refund, return, repair or complaint under way, then their tickets are shown, not a new request', async () => {
    const tickets = await clicking(t(locale, 'tickets.menu.ticketStatus'));
    expect(tickets).toEqual([t(locale, 'tickets.list.none')]);
    for (const text of CASE_UNDER_WAY[locale]) expect({ text, replies: await (await env.chat({ locale })).texts(text) }).toEqual({ text, replies: tickets });
    for (const text of REFUND_UNDER_WAY[locale]) {
      const replies = await (await env.chat({ locale })).texts(text);
      expect({ text, replies: replies.length, refunds: replies[0]?.startsWith(NO_REFUNDS[locale]) }).toEqual({ text, replies: 1, refunds: true });
    }
    // Starting a new return still starts a return.
    const returns = await chat.texts(locale === 'zh-CN' ? '我要退货' : 'i want to return these shoes');
    expect(returns).toEqual(await clicking(t(locale, 'dialogs.intents.return_request')));
    expect(returns).not.toEqual(tickets);
  });

  test('when the customer wants to change their own details, then "my data" answers; an order\'s address still goes to the order', async () => {
    const myData = await clicking(t(locale, 'account.menu.myData'));
    // The stored details are shown (a message naming the detail that changed then asks for the new one: ownDetails.test.ts).
    const shown = myData[0].split('\n')[0];
    for (const text of OWN_DETAILS[locale]) expect({ text, first: (await (await env.chat({ locale })).texts(text))[0]?.split('\n')[0] }).toEqual({ text, first: shown });
    const orderAddress = await chat.texts(locale === 'zh-CN' ? '订单的收货地址写错了 要改' : 'change the delivery address of my order');
    expect(orderAddress).toEqual(await clicking(t(locale, 'orders.menu.changeAddress')));
    expect(orderAddress).not.toEqual(myData);
  });

  test('when the customer makes small talk, then a friendly answer leads back to the menu, and no ticket or complaint is opened', async () => {
    for (const text of SMALL_TALK[locale]) {
      const replies = await chat.say(text);
      expect({ text, replies: replies.map((r) => r.text) }).toEqual({ text, replies: [t(locale, 'dialogs.chitchat')] });
      expect(buttons(replies[0])).toContain(t(locale, 'orders.menu.orderStatus'));
    }
    for (const text of LEAVING[locale]) expect({ text, replies: await chat.texts(text) }).toEqual({ text, replies: [t(locale, 'dialogs.goodbye')] });
    expect(await env.db.ticket.count({ where: { conversationId: chat.who.conversationId } })).toBe(0);
  });

  test('when the customer asks about offers, referral codes or card rewards, then the loyalty dialog answers', async () => {
    const loyalty = await clicking(t(locale, 'loyalty.menu'));
    expect(loyalty.join('\n')).toContain(t(locale, 'loyalty.rule'));
    for (const text of OFFERS[locale]) expect({ text, replies: await (await env.chat({ locale })).texts(text) }).toEqual({ text, replies: loyalty });
  });

  test('when the customer asks for discounts or deals, then the deals answer comes with the points button', async () => {
    const deals = t(locale, 'faq.topics.promotions.answer');
    for (const text of DEALS[locale]) {
      const replies = await (await env.chat({ locale })).say(text);
      expect({ text, replies: replies.map((r) => r.text) }).toEqual({ text, replies: [deals] });
      expect(buttons(replies[0])[0]).toBe(t(locale, 'loyalty.menu'));
    }
  });

  test('when the customer has a payment question (failed payment, methods, how long a refund takes), then the payment answers come', async () => {
    const payment = await clicking(t(locale, 'dialogs.intents.payment_issue'));
    for (const text of [...PAYMENT[locale], ...FEES[locale].shop]) expect({ text, replies: await (await env.chat({ locale })).texts(text) }).toEqual({ text, replies: payment });
  });

  test('when the customer only acknowledges ("好的", "ok"), then the bot asks what else it can do, and acknowledgements are no misses that push a person', async () => {
    const acks = locale === 'zh-CN' ? ['好的', '嗯', '收到', '好'] : ['ok', 'got it', 'alright', 'sure'];
    for (const text of acks) {
      const replies = await chat.say(text);
      expect({ text, replies: replies.map((r) => r.text) }).toEqual({ text, replies: [t(locale, 'dialogs.resume.dropped')] });
      expect(buttons(replies[0])).toContain(t(locale, 'orders.menu.orderStatus'));
    }
  });

  test('when goods arrived broken, short, unlike their photos or in the wrong size, then a return or exchange starts; when a gift did not come, then a complaint', async () => {
    for (const [cases, dialog] of [[ARRIVED_WRONG, 'kefu.returns'], [MISSING_GIFT, 'kefu.complaint']] as const) {
      for (const text of cases[locale]) {
        const chat = await env.chat({ locale, shopId: locale === 'zh-CN' ? 'C1003' : 'C1030' });
        await chat.say(text);
        expect({ text, dialogs: await chat.dialogs() }).toEqual({ text, dialogs: expect.arrayContaining([dialog]) });
      }
    }
  });

  test('when the customer was charged twice, or charged for an order still unpaid, then the payment-problem answer comes with a person to check it', async () => {
    const problem = await clicking(t(locale, 'faq.topics.paymentProblem.title'));
    expect(problem.join('\n')).toContain(t(locale, 'faq.topics.paymentProblem.answer'));
    for (const text of DOUBLE_CHARGE[locale]) {
      const replies = await (await env.chat({ locale })).say(text);
      expect({ text, replies: replies.map((r) => r.text) }).toEqual({ text, replies: problem });
      expect(buttons(replies[0])).toContain(t(locale, 'messages.menu.human'));
    }
  });

  test('when the request is not the shop\'s business, then the bot says honestly it cannot help here and shows the menu', async () => {
    for (const text of OUT_OF_SCOPE[locale]) {
      const replies = await chat.say(text);
      expect({ text, replies: replies.map((r) => r.text) }).toEqual({ text, replies: [t(locale, 'dialogs.outOfScope')] });
      expect(buttons(replies[0])).toContain(t(locale, 'orders.menu.orderStatus'));
    }
    // Out-of-scope answers are no misses: a person is not pushed after them.
    for (const text of FEES[locale].bank) expect({ text, replies: await (await env.chat({ locale })).texts(text) }).toEqual({ text, replies: [t(locale, 'dialogs.outOfScope')] });
    expect(await chat.texts(OUT_OF_SCOPE[locale][0])).toEqual([t(locale, 'dialogs.outOfScope')]);
  });

  test('when the bot is unsure between two requests, then it asks which one with their two buttons, and a click routes there', async () => {
    const replies = await chat.say(locale === 'zh-CN' ? '退货还是换货' : 'should i return or exchange it');
    const first = t(locale, 'dialogs.intents.return_request');
    const second = t(locale, 'dialogs.intents.exchange_request');
    expect(replies).toHaveLength(1);
    expect([...buttons(replies[0])].sort()).toEqual([first, second].sort());
    const [a, b] = buttons(replies[0]);
    expect(replies[0].text).toBe(t(locale, 'dialogs.fallback.whichOne', { first: a ?? '', second: b ?? '' }));
    expect(await chat.texts(second)).toEqual(await clicking(second));
  });
});
