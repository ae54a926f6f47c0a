import type { Locale } from '../../src/config/locales';
import { PROVIDERS } from '../support/db';
import { DialogEnv, type Turn } from './support';

/*
 * One open return per order item, and the ticket list names the item, on both stores. C1003 received
 * KF202611170001 (T恤, 枕头, 围巾) and C1030 KF202611180002 (lamp, scarf, backpacks) this week.
 */
describe.each(PROVIDERS)('returns per item (%s store)', (provider) => {
  const env = new DialogEnv(provider);
  beforeAll(() => env.start(), 60_000);
  afterAll(() => env.stop());

  test.each<[Locale, { shopId: string; first: Turn[]; again: Turn[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1003',
        first: [
          ['围巾破了个洞，要退货', ['请发送问题部位的照片'], { absent: ['请问是哪个订单？'] }],
          ['跳过', ['订单 KF202611170001 申请退货：羊绒围巾 ×1。']],
          ['确定', ['您的退货申请已提交，工单号 T20261126'], { dialog: null }],
        ],
        again: [
          ['我要退货', ['请问是哪个订单？']],
          ['最新那个', ['羊绒围巾 已有进行中的退换货申请（工单 T20261126', '订单 KF202611170001 中的哪件商品？'], { buttons: ['纯棉圆领T恤 ×1', '记忆棉枕头 ×1'] }],
          ['取消', ['已为您取消当前操作'], { dialog: null }],
          ['我的工单', ['｜退货（羊绒围巾）｜']],
        ],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1030',
        first: [
          ['I want to return the scarf, it is torn', ['Please send photos of the problem']],
          ['skip', ['Return for order KF202611180002: Cashmere scarf ×1.']],
          ['yes', ['Your return request is submitted: ticket T20261126'], { dialog: null }],
        ],
        again: [
          ['I want to return something', ['Which order do you mean?']],
          ['the latest one', ['Cashmere scarf already has a return or exchange in progress (ticket T20261126', 'Which item of order KF202611180002?'], { buttons: ['LED desk lamp ×1', 'Commuter backpack ×2'] }],
          ['cancel', ["OK, I've stopped that."], { dialog: null }],
          ['my tickets', [' | Return (Cashmere scarf) |']],
        ],
      },
    ],
  ])('(%s) when an item already has an open return, then it is not offered again and the ticket list names it', async (locale, { shopId, first, again }) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(first);
    await chat.play(again);
    const tickets = await env.db.ticket.findMany({ where: { conversationId: chat.who.conversationId }, include: { orderItem: true } });
    expect(tickets.map((t) => [t.category, t.orderItem?.sku ? t.orderItem.name : null])).toEqual([['return', '羊绒围巾']]);
  });
});
