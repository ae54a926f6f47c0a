import type { Locale } from '../../src/config/locales';
import { DialogEnv, type Turn } from './support';

/*
 * Prompts that understand answers in the customer's own words: an item or an order by a part of its
 * name, "最新那个" / "the latest one", yes and no as people say them, and a reason in free text
 * (classified, or asked again as "quality or change of mind?" when it fits neither).
 * C1003 received KF202611170001 (T恤, 枕头, 围巾) on 21 Nov; C1030 received KF202611180002 (lamp, scarf,
 * backpacks) on 22 Nov: both are within the 7-day return window on the fixed clock.
 */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

const ticketsOf = (conversationId: string) => env.db.ticket.findMany({ where: { conversationId } });

describe('returns in the customer own words', () => {
  test.each<[Locale, { shopId: string; turns: Turn[]; summary: string[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1003',
        turns: [
          ['我要退货', ['请问是哪个订单？', '1. KF202611170001'], { buttons: ['KF202611170001 纯棉圆领T恤', 'KF202609260002 透气跑步鞋'] }],
          ['有围巾的那个单', ['请问是什么原因？'], { buttons: ['质量问题', '不想要了'] }],
          ['坏了啊 里面的棉都塌了', ['请发送问题部位的照片']],
          ['跳过', ['订单 KF202611170001 申请退货：羊绒围巾 ×1。', '因质量问题退换，退回运费由我们承担。', '确认提交吗？']],
          ['嗯 确定', ['您的退货申请已提交，工单号 T20261126'], { dialog: null }],
        ],
        summary: ['羊绒围巾 ×1', '质量问题', '坏了啊 里面的棉都塌了'],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1030',
        turns: [
          ['I want to return something', ['Which order do you mean?', '1. KF202611180002'], { dialog: 'kefu.returns' }],
          ['the one with the scarf', ["What's the reason?"], { buttons: ['Quality problem', 'Changed my mind'] }],
          ["it's torn along the seam", ['Please send photos of the problem']],
          ['skip', ['Return for order KF202611180002: Cashmere scarf ×1.', "As it's a quality problem, the return shipping is free.", 'Shall I submit it?']],
          ['yep', ['Your return request is submitted: ticket T20261126'], { dialog: null }],
        ],
        summary: ['Cashmere scarf ×1', 'Quality problem', "it's torn along the seam"],
      },
    ],
  ])('(%s) when the order is named by an item and the reason is told in free words, then the item, the quality reason and the words reach the return ticket', async (locale, { shopId, turns, summary }) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
    const [ticket] = await ticketsOf(chat.who.conversationId);
    expect(ticket.category).toBe('return');
    for (const fragment of summary) expect(ticket.summary).toContain(fragment);
  });

  test('(zh-CN) when a customer writes in traditional characters, then the order, the item and the quality reason are understood as in simplified ones', async () => {
    const chat = await env.chat({ shopId: 'C1003', locale: 'zh-CN' });
    await chat.play([
      ['我要退貨', ['请问是哪个订单？']],
      ['有圍巾的那個單', ['订单 KF202611170001 中的哪件商品？']],
      ['記憶棉枕頭', ['请问是什么原因？']],
      ['品質有問題，枕頭一週就塌了', ['请发送问题部位的照片']],
      ['跳過', ['订单 KF202611170001 申请退货：记忆棉枕头 ×1。', '因质量问题退换，退回运费由我们承担。']],
      ['算了', ['好的，没有为您提交申请。'], { dialog: null }],
    ]);
  });

  test.each<[Locale, { shopId: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1003',
        turns: [
          ['我要退货', ['请问是哪个订单？']],
          // The scarf has the open return of the test above: it is not offered again.
          ['最新那个', ['羊绒围巾 已有进行中的退换货申请', '订单 KF202611170001 中的哪件商品？'], { buttons: ['纯棉圆领T恤 ×1', '记忆棉枕头 ×1'] }],
          ['跑步鞋', ['请点击一个选项'], { dialog: 'kefu.returns' }],
          ['枕头', ['请问是什么原因？']],
          ['我也说不好', ['我想确认一下：是商品有质量问题', '还是您不想要了？'], { buttons: ['质量问题', '不想要了'] }],
          ['尺码太大了', ['如果方便，请发送商品照片']],
          ['跳过', ['订单 KF202611170001 申请退货：记忆棉枕头 ×1。', '因个人原因退换，退回运费（¥10.00）需由您承担。']],
          ['算了', ['好的，没有为您提交申请。'], { dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1030',
        turns: [
          ['I want to return something', ['Which order do you mean?']],
          // The scarf has the open return of the test above: it is not offered again.
          ['the latest one', ['Cashmere scarf already has a return or exchange in progress', 'Which item of order KF202611180002?'], { buttons: ['LED desk lamp ×1', 'Commuter backpack ×2'] }],
          ['the t-shirt', ['Please tap one of the options'], { dialog: 'kefu.returns' }],
          ['the lamp', ["What's the reason?"]],
          ['well i just dont know', ['Just to be sure: is something wrong with the item', 'or did you change your mind?'], { buttons: ['Quality problem', 'Changed my mind'] }],
          ['it is too big for my desk', ['If you like, send photos of the item']],
          ['skip', ['Return for order KF202611180002: LED desk lamp ×1.', 'For a change of mind, the return shipping (¥10.00) is paid by you.']],
          ['nope', ["OK, I haven't submitted anything."], { dialog: null }],
        ],
      },
    ],
  ])('(%s) when the customer says "the latest one", names an item in a word and gives a reason that fits neither, then the bot asks which reason, and their no submits nothing', async (locale, { shopId, turns }) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
    expect(await ticketsOf(chat.who.conversationId)).toEqual([]);
  });
});

describe('yes and no as people say them', () => {
  test.each<[Locale, string, Turn[]]>([
    [
      'zh-CN',
      'C1014',
      [
        ['取消订单KF202611230002', ['确定要取消订单 KF202611230002'], { buttons: ['确定取消', '先不取消'] }],
        ['不确定', ['请回答“是”或“否”'], { dialog: 'kefu.cancelOrder' }],
        ['确定', ['已提交订单 KF202611230002 的取消申请'], { dialog: null }],
      ],
    ],
    [
      'en-US',
      'C1008',
      [
        ['cancel order KF202611230022', ['Cancel order KF202611230022'], { buttons: ['Yes, cancel it', 'No, keep it'] }],
        ['not sure', ['Please answer yes or no'], { dialog: 'kefu.cancelOrder' }],
        ['sure', ['Your request to cancel order KF202611230022 has been submitted'], { dialog: null }],
      ],
    ],
  ])('(%s) when the customer is unsure and then says a plain yes word, then the first is asked again and the second cancels the order', async (locale, shopId, turns) => {
    await (await env.chat({ shopId, locale })).play(turns);
  });

  test.each<[Locale, string, string, Turn[]]>([
    ['zh-CN', 'C1045', 'KF202611240005', [['取消订单KF202611240005', ['确定要取消订单 KF202611240005']], ['算了', ['好的，订单 KF202611240005 保持不变。'], { dialog: null }]]],
    ['en-US', 'C1035', 'KF202611240007', [['cancel order KF202611240007', ['Cancel order KF202611240007']], ['nah', ['OK, order KF202611240007 stays as it is.'], { dialog: null }]]],
  ])('(%s) when the customer answers the confirmation with "算了" / "nah", then the order is kept', async (locale, shopId, number, turns) => {
    await (await env.chat({ shopId, locale })).play(turns);
    expect((await env.db.order.findUniqueOrThrow({ where: { number } })).status).toBe('PAID');
  });
});
