import type { Locale } from '../../src/config/locales';
import { DialogEnv, type Turn } from './support';

/* FAQ, loyalty and "my data" in chat, as the customer types and reads them (demo customers named by shop id). */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

describe('FAQ', () => {
  test.each<[Locale, Turn[]]>([
    [
      'zh-CN',
      [
        ['发票怎么开', ['我们开具电子增值税发票（个人或企业）', '签收后 30 天内在订单页面申请', '3 个工作日内发送到您的邮箱'], { buttons: ['支付方式', '退换货政策', '转人工'] }],
        ['退换货政策', ['签收后 7 天内可以申请退换货', '质量问题退回运费由我们承担', '个人原因退换需您承担退回运费（¥10.00）'], { buttons: ['会员规则', '配送方式与时效', '转人工'] }],
      ],
    ],
    [
      'en-US',
      [
        ['how do I get an invoice', ['We issue electronic VAT invoices (personal or company)', 'within 30 days after delivery', 'within 3 working days'], { buttons: ['Payment methods', 'Return policy', 'Talk to a person'] }],
        ['Return policy', ['within 7 days of delivery', 'For a quality problem the return shipping is free', 'for a change of mind you pay the return shipping (¥10.00)'], { buttons: ['Membership rules', 'Shipping options & times', 'Talk to a person'] }],
      ],
    ],
  ])('(%s) when a customer asks about invoices, then the invoice answer comes with its follow-ups, and a clicked follow-up answers that topic', async (locale, turns) => {
    await (await env.chat({ locale, verified: false })).play(turns);
  });

  test.each<[Locale, Turn]>([
    ['zh-CN', ['你们用什么快递，几天能到', ['我们使用顺丰、中通、圆通、京东物流和 EMS 配送', '16:00 前付款的订单当天出库', '一般 3 天送达', '满 ¥99 包邮，不满收取 ¥10 运费'], { replies: 1 }]],
    ['en-US', ['which courier do you use and how long does delivery take', ['We ship with SF Express, ZTO, YTO, JD Logistics and EMS', 'paid before 16:00', 'usually takes 3 days', 'Orders of ¥99 or more ship free; below that shipping is ¥10'], { replies: 1 }]],
  ])('(%s) when a customer asks about shipping, then the shipping answer comes', async (locale, turn) => {
    await (await env.chat({ locale, verified: false })).play([turn]);
  });
});

describe('loyalty', () => {
  test.each<[Locale, string, Turn]>([
    ['zh-CN', 'C1004', ['我的积分有多少', ['您目前有 1365 积分，是白银会员。', '再累积 635 积分即可升级为黄金会员。', '每消费 1 元累积 1 积分。'], { replies: 1 }]],
    ['en-US', 'C1001', ['how many points do I have', ['You have 2484 points and you are a Gold member.', '7516 more points and you become Diamond.', 'Every 1 yuan you spend earns 1 point.'], { replies: 1 }]],
  ])('(%s) when a member asks for their points, then balance, tier and what the next tier needs are shown', async (locale, shopId, turn) => {
    await (await env.chat({ shopId, locale })).play([turn]);
  });

  test.each<[Locale, Turn]>([
    ['zh-CN', ['我的积分有多少', ['您目前有 12000 积分，是钻石会员。', '钻石是我们的最高等级'], { replies: 1, absent: ['再累积'] }]],
    ['en-US', ['how many points do I have', ['You have 12000 points and you are a Diamond member.', 'Diamond is our highest tier'], { replies: 1, absent: ['more points'] }]],
  ])('(%s) when a member of the top tier asks for their points, then no next tier is promised', async (locale, turn) => {
    const chat = await env.chat({ locale });
    // Points come from the ledger (src/features/loyalty/ledger.ts), here as an agent's adjustment.
    await env.features.loyalty.ledger.adjust(chat.who.customerId, 12_000, 'a diamond member for the test', { type: 'agent', id: null });
    await chat.play([turn]);
  });
});

describe('my data', () => {
  test.each<[Locale, { shopId: string; before: string; after: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1020',
        before: 'mia.johnson@example.com',
        after: 'new.zh-cn@example.com',
        turns: [
          [
            '我的个人信息',
            ['姓名：Mia Johnson', '电话：13990533534', '邮箱：mia.johnson@example.com', '地址：109 Keji Rd S, Nanshan, Shenzhen', '语言：English', '会员：黄金，6513 积分', '订单：3 个 · 对话：1 个 · 工单：0 个', '您想更正信息、获取您的数据副本、申请删除数据，还是不再接收回访和关怀消息？'],
            { buttons: ['更正电话', '更正邮箱', '更正地址', '导出我的数据', '删除我的数据', '不再接收回访和关怀消息', '没有了'], dialog: 'kefu.myData' },
          ],
          ['更正邮箱', ['请输入正确的邮箱地址：'], { replies: 1 }],
          ['不告诉你', ['这似乎不是有效的邮箱地址，请按 name@example.com 的格式输入。'], { replies: 1 }],
          ['new.zh-cn@example.com', ['已更新：您的邮箱已从 mia.johnson@example.com 改为 new.zh-cn@example.com。', '审计日志'], { dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1021',
        before: 'user1021@example.cn',
        after: 'new.en-us@example.com',
        turns: [
          [
            'what personal data do you have about me',
            ['Name: 杨刚', 'Phone: 15073652506', 'E-mail: user1021@example.cn', 'Address: 成都市武侯区人民南路33号', 'Language: 中文', 'Membership: Gold, 2867 points', 'Orders: 3 · Conversations: 1 · Tickets: 0', 'Would you like to correct something'],
            { buttons: ['Correct phone', 'Correct e-mail', 'Correct address', 'Export my data', 'Delete my data', 'Stop surveys & care messages', "That's all"], dialog: 'kefu.myData' },
          ],
          ['Correct e-mail', ["What's your correct e-mail address?"], { replies: 1 }],
          ['not-an-email', ["That doesn't look like an e-mail address. Please type it like name@example.com."], { replies: 1 }],
          ['new.en-us@example.com', ['Done: your e-mail was changed from user1021@example.cn to new.en-us@example.com.', 'audit log'], { dialog: null }],
        ],
      },
    ],
  ])('(%s) when a customer corrects their e-mail, then a bad address is re-asked and the good one is saved and audit-logged with before and after', async (locale, { shopId, before, after, turns }) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
    const customerId = chat.who.customerId;
    expect((await env.db.customer.findUniqueOrThrow({ where: { id: customerId } })).email).toBe(after);
    const audit = await env.db.auditLog.findFirstOrThrow({ where: { entity: 'Customer', entityId: customerId } });
    // The audit log keeps personal values masked (issue 17): enough to tell what changed, not the address itself.
    const masked = (email: string) => `${email[0]}***${email.slice(email.indexOf('@'))}`;
    expect(audit).toMatchObject({ actorType: 'customer', actorId: customerId, action: 'customer.update', before: { email: masked(before) }, after: { email: masked(after) }, reason: locale === 'zh-CN' ? '客户在聊天中自行更正了邮箱' : 'the customer corrected their own e-mail in chat' });
  });

  test.each<[Locale, { shopId: string; orders: number; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1030',
        orders: 8,
        turns: [
          ['删除我的个人数据', ['姓名：Sophia Smith', '订单：8 个'], { buttons: ['更正电话', '更正邮箱', '更正地址', '导出我的数据', '删除我的数据', '不再接收回访和关怀消息', '没有了'] }],
          ['删除我的数据', ['订单会保留，但不再包含您的姓名、电话和地址', '需先经主管和客户关系负责人审批，现在不会删除任何内容', '确认提交删除申请吗？'], { buttons: ['确认申请删除', '不用了'] }],
          ['确认申请删除', ['您的删除申请已登记（申请号', '需经主管和客户关系负责人审批', '2026年12月10日 10:00 前在这里答复您', '不会删除任何内容'], { replies: 1, dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1031',
        orders: 2,
        turns: [
          ['please delete my personal data', ['Name: 马明', 'Orders: 2'], { buttons: ['Correct phone', 'Correct e-mail', 'Correct address', 'Export my data', 'Delete my data', 'Stop surveys & care messages', "That's all"] }],
          ['Delete my data', ['your orders stay (the law on accounts requires it) without your name, phone or address', 'A supervisor and the head of customer relations must approve the request first; nothing is deleted right now', 'Submit the deletion request?'], { buttons: ['Yes, request deletion', 'No'] }],
          ['Yes, request deletion', ['Your deletion request is recorded (request', "It needs a supervisor's and the head of customer relations' approval", 'by Dec 10, 2026, 10:00', 'nothing has been deleted'], { replies: 1, dialog: null }],
        ],
      },
    ],
  ])('(%s) when a customer asks to delete their data, then a change request awaits a supervisor, with its reason, and nothing is deleted', async (locale, { shopId, orders, turns }) => {
    const chat = await env.chat({ shopId, locale });
    const replies = await chat.play(turns);
    const customerId = chat.who.customerId;
    const request = await env.db.changeRequest.findFirstOrThrow({ where: { customerId, kind: 'delete' } });
    expect(request).toMatchObject({ status: 'AWAITING_SUPERVISOR', requestedByType: 'customer', dueAt: new Date('2026-12-10T10:00:00+08:00'), reason: locale === 'zh-CN' ? '客户在聊天中申请删除其数据' : 'the customer asked in chat for their data to be deleted' });
    expect(replies[replies.length - 1][0].text).toContain(request.id);
    expect(await env.db.ticket.count({ where: { customerId, category: 'privacy_request' } })).toBe(0);
    expect(await env.db.customer.findUnique({ where: { id: customerId } })).not.toBeNull();
    expect(await env.db.order.count({ where: { customerId } })).toBe(orders);
  });

  test.each<[Locale, string, Turn[]]>([
    ['zh-CN', 'C1032', [['我的个人信息', ['姓名：'], { dialog: 'kefu.myData' }], ['导出我的数据', ['全部数据发给您（一个 JSON 文件）', '确认提交导出申请吗？'], { buttons: ['是的，申请导出', '不用了'] }], ['是的，申请导出', ['您的数据导出申请已登记（申请号', '最晚 2026年12月10日 10:00'], { replies: 1, dialog: null }]]],
    ['en-US', 'C1033', [['what personal data do you have about me', ['Name: '], { dialog: 'kefu.myData' }], ['Export my data', ['a copy of everything we store about you (one JSON file)', 'Submit the export request?'], { buttons: ['Yes, request a copy', 'No'] }], ['Yes, request a copy', ['Your request for a copy of your data is recorded (request', 'by Dec 10, 2026, 10:00 at the latest'], { replies: 1, dialog: null }]]],
  ])('(%s) when a customer asks for a copy of their data, then an export request awaits approval', async (locale, shopId, turns) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
    expect(await env.db.changeRequest.findFirstOrThrow({ where: { customerId: chat.who.customerId, kind: 'export' } })).toMatchObject({ status: 'AWAITING_SUPERVISOR', requestedByType: 'customer' });
  });

  test.each<[Locale, string, Turn[]]>([
    ['zh-CN', 'C1034', [['我的个人信息', ['姓名：'], { dialog: 'kefu.myData' }], ['不再接收回访和关怀消息', ['我们不会再向您发送满意度回访和关怀消息'], { replies: 1, dialog: null }]]],
    ['en-US', 'C1035', [['what personal data do you have about me', ['Name: '], { dialog: 'kefu.myData' }], ['Stop surveys & care messages', ["we won't send you satisfaction surveys or care messages any more"], { replies: 1, dialog: null }]]],
  ])('(%s) when a customer withdraws consent, then no more surveys or care messages, audit-logged with the reason', async (locale, shopId, turns) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
    const customerId = chat.who.customerId;
    expect(await env.db.surveyOptOut.findUnique({ where: { customerId } })).not.toBeNull();
    expect((await env.db.customer.findUniqueOrThrow({ where: { id: customerId } })).marketingConsent).toBe(false);
    expect(await env.db.auditLog.findFirstOrThrow({ where: { entity: 'Customer', entityId: customerId, action: 'customer.consent' } })).toMatchObject({ after: { marketing: false, surveys: false } });
  });

  test.each<[Locale, Turn]>([
    ['zh-CN', ['我的个人信息', ['请先登录商城账号'], { replies: 1, dialog: null }]],
    ['en-US', ['what personal data do you have about me', ['Please sign in to your shop account first'], { replies: 1, dialog: null }]],
  ])('(%s) when a customer who is not signed in asks for their data, then nothing is shown', async (locale, turn) => {
    await (await env.chat({ locale, verified: false })).play([turn]);
  });
});
