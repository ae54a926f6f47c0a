import type { Locale } from '../../src/config/locales';
import { DialogEnv, type Turn } from './support';

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

  test.each<[Locale, { shopId: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1003',
        turns: [
          ['我要退货', ['请问是哪个订单？']],
          ['我的积分呢', ['您目前有 1595 积分', '要继续刚才的“退换货”吗？']],
          ['不用了', ['好的。还有什么可以帮您？'], { dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1030',
        turns: [
          ['I want to return something', ['Which order do you mean?']],
          ['how many points do I have', ['You have', 'Shall we go back to "Returns & exchanges"?']],
          ['no thanks', ['OK. What else can I help you with?'], { dialog: null }],
        ],
      },
    ],
  ])('(%s) when the customer does not want to go back, then the unfinished return is dropped and nothing is opened', async (locale, { shopId, turns }) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
    expect(await env.db.ticket.count({ where: { conversationId: chat.who.conversationId } })).toBe(0);
  });
});
