import type { Locale } from '../../src/config/locales';
import { DialogEnv, type Turn } from './support';

/*
 * Returns, repairs and complaints in chat: what the customer types, what they read (order, items,
 * deadline, fee, ticket number and due time, literally) and the ticket row stored. The clock is fixed at
 * Thursday 2026-11-26 10:00 in Shanghai: 1 working day later is Friday 10:00, 2 working days later is
 * Monday 30 Nov 10:00, 48 hours later is Saturday 28 Nov 10:00.
 */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

const sh = (local: string) => new Date(`${local}+08:00`);
const orderId = async (number: string) => (await env.db.order.findUniqueOrThrow({ where: { number } })).id;

/** The one ticket opened in a chat, and the last reply of the chat's last turn (which must tell its number). */
async function openedTicket(conversationId: string, replies: { text?: string }[][]) {
  const tickets = await env.db.ticket.findMany({ where: { conversationId } });
  expect(tickets).toHaveLength(1);
  expect(tickets[0].number).toMatch(/^T20261126\d{4}$/);
  expect(replies[replies.length - 1].map((r) => r.text).join('\n')).toContain(tickets[0].number);
  return tickets[0];
}

describe('returns and exchanges', () => {
  const photo = (locale: Locale) => ({ attachments: [{ contentType: 'image/jpeg', contentUrl: `https://files.example.com/${locale}/broken.jpg`, name: 'broken.jpg' }] });

  test.each<[Locale, { shopId: string; number: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1014',
        number: 'KF202611160001',
        turns: [
          ['我要退货 KF202611160001', ['请问是什么原因？'], { buttons: ['质量问题', '不想要了'], dialog: 'kefu.returns' }],
          ['质量问题', ['请发送问题部位的照片（可以发多张），或点击“跳过”。'], { buttons: ['跳过'] }],
          ['好的', ['请发送照片（JPG 或 PNG），或点击“跳过”。'], { replies: 1 }],
          [
            photo('zh-CN'),
            ['订单 KF202611160001 申请退货：20000mAh 充电宝 ×1。', '因质量问题退换，退回运费由我们承担。', '请在 2026年11月28日 15:41 前提交申请。', '确认提交吗？'],
            { buttons: ['确认提交', '不用了'], absent: ['¥10.00'] },
          ],
          ['确认提交', ['您的退货申请已提交，工单号 T20261126', '我们会在 1 个工作日内回复您，最晚不超过 2026年11月27日 10:00。'], { replies: 1, dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1030',
        number: 'KF202611180001',
        turns: [
          ['I want to return KF202611180001', ["What's the reason?"], { buttons: ['Quality problem', 'Changed my mind'], dialog: 'kefu.returns' }],
          ['Quality problem', ['Please send photos of the problem (you can attach several), or tap "Skip".'], { buttons: ['Skip'] }],
          ['ok', ['Please attach a photo (JPG or PNG), or tap "Skip".'], { replies: 1 }],
          [
            photo('en-US'),
            ['Return for order KF202611180001: 20,000 mAh power bank ×1.', "As it's a quality problem, the return shipping is free.", 'Your request must reach us by Nov 28, 2026, 21:13.', 'Shall I submit it?'],
            { buttons: ['Yes, submit', 'No'], absent: ['¥10.00'] },
          ],
          ['Yes, submit', ['Your return request is submitted: ticket T20261126', 'Our team will reply within 1 working day, by Nov 27, 2026, 10:00 at the latest.'], { replies: 1, dialog: null }],
        ],
      },
    ],
  ])('(%s) when a delivered order has a quality problem, then photos are accepted, free return shipping is stated before confirming, and a return ticket answers within 1 working day', async (locale, { shopId, number, turns }) => {
    const chat = await env.chat({ shopId, locale });
    const ticket = await openedTicket(chat.who.conversationId, await chat.play(turns));
    expect(ticket).toMatchObject({ category: 'return', status: 'NEW', orderId: await orderId(number), customerId: chat.who.customerId, dueAt: sh('2026-11-27T10:00:00') });
    expect(ticket.summary).toContain(`https://files.example.com/${locale}/broken.jpg`);
  });

  test.each<[Locale, { number: string; shopId: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1003',
        number: 'KF202611170001',
        turns: [
          ['退换货', ['您想退货（退款）还是换货？'], { buttons: ['退货', '换货'], dialog: 'kefu.returns' }],
          ['换货', ['请问是哪个订单？', '1. KF202611170001 · 2026年11月18日 · 已签收 · ¥507.00', '2. KF202609260002 · 2026年9月26日 · 已签收 · ¥588.00'], { buttons: ['KF202611170001 纯棉圆领T恤', 'KF202609260002 透气跑步鞋'] }],
          ['KF202611170001', ['订单 KF202611170001 中的哪件商品？（截止时间 2026年11月28日 15:27）'], { buttons: ['纯棉圆领T恤 ×1', '记忆棉枕头 ×1', '羊绒围巾 ×1', '全部商品'] }],
          ['第一个', ['请问是什么原因？'], { buttons: ['质量问题', '不想要了'] }],
          ['不想要了', ['如果方便，请发送商品照片'], { buttons: ['跳过'] }],
          ['跳过', ['订单 KF202611170001 申请换货：纯棉圆领T恤 ×1。', '因个人原因退换，退回运费（¥10.00）需由您承担。', '请在 2026年11月28日 15:27 前提交申请。', '确认提交吗？'], { buttons: ['确认提交', '不用了'] }],
          ['不用了', ['好的，没有为您提交申请。'], { replies: 1, dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1030',
        number: 'KF202611180002',
        turns: [
          ['Returns & exchanges', ['Would you like to return the item (refund) or exchange it?'], { buttons: ['Return', 'Exchange'], dialog: 'kefu.returns' }],
          ['Exchange', ['Which order do you mean?', '1. KF202611180002 · Nov 19, 2026 · Delivered · ¥836.00', '2. KF202611180001 · Nov 18, 2026 · Delivered · ¥149.00'], { replies: 1 }],
          ['KF202611180002', ['Which item of order KF202611180002? (You have until Nov 29, 2026, 22:45.)'], { buttons: ['LED desk lamp ×1', 'Cashmere scarf ×1', 'Commuter backpack ×2', 'All items'] }],
          ['the first one', ["What's the reason?"], { buttons: ['Quality problem', 'Changed my mind'] }],
          ['Changed my mind', ['If you like, send photos of the item'], { buttons: ['Skip'] }],
          ['Skip', ['Exchange for order KF202611180002: LED desk lamp ×1.', 'For a change of mind, the return shipping (¥10.00) is paid by you.', 'Your request must reach us by Nov 29, 2026, 22:45.', 'Shall I submit it?'], { buttons: ['Yes, submit', 'No'] }],
          ['No', ["OK, I haven't submitted anything."], { replies: 1, dialog: null }],
        ],
      },
    ],
  ])('(%s) when the customer changed their mind, then the return shipping fee is stated before they confirm, and declining opens nothing', async (locale, { number, shopId, turns }) => {
    await (await env.chat({ shopId, locale })).play(turns);
    expect(await env.db.ticket.count({ where: { orderId: await orderId(number) } })).toBe(0);
  });

  test.each<[Locale, { number: string; shopId: string; turn: Turn }]>([
    [
      'zh-CN',
      {
        shopId: 'C1044',
        number: 'KF202607290001',
        turn: ['KF202607290001 我想退货', ['退换货需在签收后 7 天内申请，订单 KF202607290001 的截止时间是 2026年8月11日 06:52，已经超过期限。', '您可以投诉或转人工'], { buttons: ['我要投诉', '转人工'], dialog: null }],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1046',
        number: 'KF202607300001',
        turn: ['return KF202607300001', ['Returns and exchanges are possible within 7 days of delivery; for order KF202607300001 that ended on Aug 9, 2026, 21:23.', 'you can make a complaint or talk to a person'], { buttons: ['Make a complaint', 'Talk to a person'], dialog: null }],
      },
    ],
  ])('(%s) when the return window has closed, then the customer gets the exact deadline and a complaint or a person is offered, and no ticket is opened', async (locale, { number, shopId, turn }) => {
    await (await env.chat({ shopId, locale })).play([turn]);
    expect(await env.db.ticket.count({ where: { orderId: await orderId(number) } })).toBe(0);
  });

  test.each<[Locale, string, Turn]>([
    ['zh-CN', 'C1041', ['KF202611210001 我想退货', ['订单 KF202611210001 还没有签收（已发货）。签收后 7 天内可以申请退换货。'], { buttons: ['我要投诉', '转人工'], dialog: null }]],
    ['en-US', 'C1019', ['return KF202611210002', ["Order KF202611210002 hasn't been delivered yet (Shipped). Returns and exchanges are possible within 7 days after delivery."], { buttons: ['Make a complaint', 'Talk to a person'], dialog: null }]],
  ])('(%s) when the order has not been delivered yet, then the customer is told returns start after delivery', async (locale, shopId, turn) => {
    await (await env.chat({ shopId, locale })).play([turn]);
  });
});

describe('repair', () => {
  test.each<[Locale, { shopId: string; phone: string; masked: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1042',
        phone: '13812345678',
        masked: '138****5678',
        turns: [
          ['东西坏了要维修', ['哪件商品需要维修？请点击商品，或输入商品名称。'], { buttons: ['电热水壶 1.7L', '20000mAh 充电宝', '透气跑步鞋', '降噪蓝牙耳机', 'LED护眼台灯'], dialog: 'kefu.repair' }],
          ['第一个', ['您的电热水壶 1.7L出了什么问题？请描述一下。'], { replies: 1 }],
          ['不加热了，指示灯也不亮', ['维修人员拨打您账户里的号码 177****6723 可以吗？也可以直接输入另一个号码。'], { replies: 1, buttons: ['用这个号码', '换一个号码'] }],
          ['12345', ['这似乎不是有效的电话号码。请点击“用这个号码”，或输入另一个手机号（如 138 1234 5678）或国际号码（如 +44 20 7946 0958）。'], { replies: 1 }],
          ['+86 138-1234-5678', ['您的维修申请已提交，工单号 T20261126', '维修人员会在 2 个工作日内拨打 13812345678 联系您，最晚不超过 2026年11月30日 10:00。'], { replies: 1, dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1040',
        phone: '+442079460958',
        masked: '+442****0958',
        turns: [
          ['my product is broken, I need a repair', ['Which product needs repair? Tap it, or type its name.'], { buttons: ['Light down jacket', 'Cotton crew-neck T-shirt', 'Electric kettle 1.7 L', 'Cashmere scarf', 'Longjing green tea 250 g'], dialog: 'kefu.repair' }],
          ['the first one', ["What's wrong with your Light down jacket? Please describe the problem."], { replies: 1 }],
          ['the zip broke after two days', ['Can our repair team call you on the number on your account, 139****5761? Or type another number.'], { replies: 1, buttons: ['Use this number', 'Another number'] }],
          ['12345', ['That doesn\'t look like a phone number. Tap "Use this number", or type another mobile number such as 138 1234 5678, or an international number such as +44 20 7946 0958.'], { replies: 1 }],
          ['+44 20 7946 0958', ['Your repair request is submitted: ticket T20261126', 'Our repair team will call you on +442079460958 within 2 working days, by Nov 30, 2026, 10:00 at the latest.'], { replies: 1, dialog: null }],
        ],
      },
    ],
  ])('(%s) when a product of a delivered order needs repair, then an invalid phone is re-asked and a valid one opens a repair ticket with contact within 2 working days', async (locale, { shopId, phone, masked, turns }) => {
    const chat = await env.chat({ shopId, locale });
    const ticket = await openedTicket(chat.who.conversationId, await chat.play(turns));
    expect(ticket).toMatchObject({ category: 'repair', status: 'NEW', customerId: chat.who.customerId, dueAt: sh('2026-11-30T10:00:00') });
    // Staff read the number in full (the ticket API, the agent console); the database holds it sealed, and the summary masked.
    expect(ticket.contactPhone).toBe(phone);
    expect(ticket.summary).toContain(masked);
    const [stored] = await env.db.$queryRaw<{ summary: string; contactPhone: string }[]>`SELECT "summary", "contactPhone" FROM "Ticket" WHERE "id" = ${ticket.id}`;
    expect(stored.summary).not.toContain(phone);
    expect(stored.contactPhone).not.toContain(phone.slice(-8));
  });
});

describe('complaint', () => {
  test.each<[Locale, Turn[]]>([
    [
      'zh-CN',
      [
        ['我要投诉', ['非常抱歉给您带来不好的体验。请问您要投诉哪方面？'], { buttons: ['商品质量', '服务态度', '物流配送', '其他'], dialog: 'kefu.complaint' }],
        ['物流配送', ['请告诉我具体发生了什么。'], { replies: 1 }],
        ['快递员把包裹扔在门口，还淋湿了', ['您希望我们如何处理？'], { replies: 1 }],
        ['希望道歉并补偿运费', ['非常抱歉给您添麻烦了。您的投诉已登记，工单号 T20261126', '我们会在 48 小时内给您解决方案，最晚不超过 2026年11月28日 10:00。'], { buttons: ['转人工'], dialog: null }],
      ],
    ],
    [
      'en-US',
      [
        ['I want to make a complaint', ["I'm sorry about this. What is your complaint about?"], { buttons: ['Product quality', 'Service attitude', 'Delivery / logistics', 'Something else'], dialog: 'kefu.complaint' }],
        ['Delivery / logistics', ['Please tell me what happened.'], { replies: 1 }],
        ['the courier left the parcel outside in the rain', ['What would you like us to do about it?'], { replies: 1 }],
        ['an apology and the shipping refunded', ["We're very sorry for the trouble. Your complaint is recorded as ticket T20261126", 'we will come back to you with a solution within 48 hours, by Nov 28, 2026, 10:00 at the latest.'], { buttons: ['Talk to a person'], dialog: null }],
      ],
    ],
  ])('(%s) when a customer complains about logistics, then a complaint ticket with that type promises a solution within 48 hours, apologises and offers a person', async (locale, turns) => {
    const chat = await env.chat({ locale });
    const ticket = await openedTicket(chat.who.conversationId, await chat.play(turns));
    expect(ticket).toMatchObject({ category: 'complaint', complaintType: 'logistics', status: 'NEW', dueAt: sh('2026-11-28T10:00:00') });
  });
});
