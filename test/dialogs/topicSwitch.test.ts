import type { Locale } from '../../src/config/locales';
import { DialogEnv, i18n, type Turn } from './support';

/*
 * Topic switches: another request in the middle of a flow is answered (points, an FAQ) and the
 * unfinished flow is offered back with its answers kept; "no" drops it. C1003 (1595 points) and C1030
 * received orders this week.
 */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

describe('another request in the middle of a return', () => {
  test.each<[Locale, { shopId: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1003',
        turns: [
          ['我要退货', ['请问是哪个订单？'], { dialog: 'kefu.returns' }],
          ['最新那个', ['订单 KF202611170001 中的哪件商品？']],
          ['我的积分呢', ['您目前有 1595 积分，是白银会员。', '要继续刚才的“退换货”吗？您之前填写的内容都还在。'], { buttons: ['继续', '不用了'], absent: ['请点击一个选项'] }],
          ['继续', ['订单 KF202611170001 中的哪件商品？'], { buttons: ['纯棉圆领T恤 ×1', '记忆棉枕头 ×1', '羊绒围巾 ×1', '全部商品'], dialog: 'kefu.returns' }],
          ['枕头', ['请问是什么原因？']],
          ['不喜欢', ['如果方便，请发送商品照片']],
          ['跳过', ['订单 KF202611170001 申请退货：记忆棉枕头 ×1。']],
          ['确认提交', ['您的退货申请已提交'], { dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1030',
        turns: [
          ['I want to return something', ['Which order do you mean?'], { dialog: 'kefu.returns' }],
          ['the latest one', ['Which item of order KF202611180002?']],
          ['how much does shipping cost?', ['Orders of ¥99 or more ship free', 'Shall we go back to "Returns & exchanges"? Your earlier answers are kept.'], { buttons: ['Go back', 'No'] }],
          ['yes', ['Which item of order KF202611180002?'], { dialog: 'kefu.returns' }],
          ['the scarf', ["What's the reason?"]],
          ['it does not fit', ['If you like, send photos of the item']],
          ['skip', ['Return for order KF202611180002: Cashmere scarf ×1.']],
          ['yes', ['Your return request is submitted'], { dialog: null }],
        ],
      },
    ],
  ])('(%s) when the customer asks something else while choosing the item, then it is answered, the return is offered back and finished with the order chosen before', async (locale, { shopId, turns }) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
    expect(await env.db.ticket.findMany({ where: { conversationId: chat.who.conversationId } })).toEqual([expect.objectContaining({ category: 'return' })]);
  });

  /** A return interrupted by a question about points, and the offer to go back to it. */
  const INTERRUPTED: Record<Locale, { shopId: string; turns: Turn[] }> = {
    'zh-CN': {
      shopId: 'C1003',
      turns: [
        ['我要退货', ['请问是哪个订单？']],
        ['我的积分呢', ['您目前有 1595 积分', '要继续刚才的“退换货”吗？']],
      ],
    },
    'en-US': {
      shopId: 'C1030',
      turns: [
        ['I want to return something', ['Which order do you mean?']],
        ['how many points do I have', ['You have', 'Shall we go back to "Returns & exchanges"?']],
      ],
    },
  };

  test.each<[Locale, Turn[]]>([
    ['zh-CN', [['不用了', ['好的。还有什么可以帮您？'], { dialog: null }]]],
    ['en-US', [['no thanks', ['OK. What else can I help you with?'], { dialog: null }]]],
  ])('(%s) when the customer does not want to go back, then the unfinished return is dropped and nothing is opened', async (locale, answer) => {
    const chat = await env.chat({ shopId: INTERRUPTED[locale].shopId, locale });
    await chat.play([...INTERRUPTED[locale].turns, ...answer]);
    expect(await env.db.ticket.count({ where: { conversationId: chat.who.conversationId } })).toBe(0);
  });

  test.each<[Locale, Turn[]]>([
    [
      'zh-CN',
      [
        ['发票怎么开', ['我们开具电子增值税发票'], { absent: ['请回答“是”或“不是”', '要继续刚才的'], dialog: null }],
        ['谢谢 拜拜', ['不客气'], { dialog: null }],
      ],
    ],
    [
      'en-US',
      [
        ['how do I get an invoice?', ['We issue electronic VAT invoices'], { absent: ['Please answer yes or no', 'Shall we go back'], dialog: null }],
        ['thanks bye', ["You're welcome"], { dialog: null }],
      ],
    ],
  ])('(%s) when the customer asks a new question instead of yes or no, then that question is answered and the offer lapses', async (locale, answer) => {
    const chat = await env.chat({ shopId: INTERRUPTED[locale].shopId, locale });
    await chat.play([...INTERRUPTED[locale].turns, ...answer]);
    expect(await env.db.ticket.count({ where: { conversationId: chat.who.conversationId } })).toBe(0);
  });
});

describe('questions about the return rules', () => {
  test.each<[Locale, string[]]>([
    ['zh-CN', ['退货运费谁出', '退货要自己出运费吗', '买了几天能退啊', '已经过了7天还能退吗']],
    ['en-US', ['who pays for return shipping?', 'do I have to pay to send it back', 'how many days do I have to return something', "it's been 10 days, can I still return it?"]],
  ])('(%s) when the customer asks who pays the return shipping or how long they have, then the return policy answers, no return is started', async (locale, questions) => {
    const policy = i18n.t(locale, 'faq.topics.returnPolicy.answer', { days: 7, fee: '¥10.00' });
    for (const text of questions) {
      const chat = await env.chat({ shopId: locale === 'zh-CN' ? 'C1003' : 'C1030', locale });
      expect({ text, replies: await chat.texts(text) }).toEqual({ text, replies: [policy] });
      expect(await chat.dialogs()).toEqual([]);
    }
  });

  test.each<[Locale, string]>([
    ['zh-CN', '我要七天无理由退货'],
    ['en-US', "I'd like to return my scarf under your return policy"],
  ])('(%s) when the customer asks for a return in the words of the policy, then the return starts', async (locale, text) => {
    const chat = await env.chat({ shopId: locale === 'zh-CN' ? 'C1003' : 'C1030', locale });
    await chat.say(text);
    expect(await chat.dialogs()).toContain('kefu.returns');
  });

  test.each<[Locale, { shopId: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1003',
        turns: [
          ['我要退货', ['请问是哪个订单？']],
          ['最新那个', ['订单 KF202611170001 中的哪件商品？']],
          ['T恤', ['请问是什么原因？']],
          ['质量问题', ['请发送问题部位的照片']],
          ['退货运费谁出', ['质量问题退回运费由我们承担', '要继续刚才的“退换货”吗？']],
          ['继续', ['请发送问题部位的照片']],
          ['没有照片，拍不了', ['订单 KF202611170001 申请退货：纯棉圆领T恤 ×1。']],
          ['确认提交', ['您的退货申请已提交'], { dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1030',
        turns: [
          ['I want to return something', ['Which order do you mean?']],
          ['the latest one', ['Which item of order KF202611180002?']],
          ['the desk lamp', ["What's the reason?"]],
          ['it is defective', ['Please send photos of the problem']],
          ['who pays for return shipping?', ['For a quality problem the return shipping is free', 'Shall we go back to "Returns & exchanges"?']],
          ['go back', ['Please send photos of the problem']],
          ["sorry I don't have a photo", ['Return for order KF202611180002: LED desk lamp ×1.']],
          ['yes', ['Your return request is submitted'], { dialog: null }],
        ],
      },
    ],
  ])('(%s) when the customer asks who pays the shipping in the middle of a return and has no photo, then the rule is answered, the return goes on and is opened without photos', async (locale, { shopId, turns }) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
    expect(await env.db.ticket.findMany({ where: { conversationId: chat.who.conversationId } })).toEqual([expect.objectContaining({ category: 'return' })]);
  });
});

describe('thanks or goodbye in the middle of a question', () => {
  test.each<[Locale, string, Turn[]]>([
    ['zh-CN', 'C1003', [['查一下我的订单', ['请问是哪个订单？']], ['好的谢谢', ['不客气'], { dialog: null, absent: ['请点击您的订单'] }]]],
    ['en-US', 'C1030', [['I want to cancel an order', ['Which order do you mean?']], ['never mind, thanks, bye', ["You're welcome"], { dialog: null, absent: ['Please tap one of your orders'] }]]],
  ])('(%s) when the customer says thanks or goodbye instead of answering, then the bot says goodbye and the flow ends', async (locale, shopId, turns) => {
    await (await env.chat({ shopId, locale })).play(turns);
  });
});
