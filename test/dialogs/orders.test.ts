import type { Locale } from '../../src/config/locales';
import { DialogEnv, NOW, type Turn } from './support';

/*
 * Orders in chat, as the customer types and reads them. The demo shop is seeded on the fixed clock
 * (Thursday 2026-11-26 10:00 in Shanghai), so its orders, owners, amounts and dates are always the same;
 * each case names the order and its owner (a demo customer's shop id) literally.
 */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

const order = (number: string) => env.db.order.findUniqueOrThrow({ where: { number } });
const auditOf = (orderId: string) => env.db.auditLog.findMany({ where: { entity: 'Order', entityId: orderId } });

describe('order status', () => {
  test.each<[Locale, { shopId: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1041',
        turns: [
          [
            '我的订单KF202611210001到哪了',
            [
              '订单 KF202611210001（下单时间 2026年11月22日）',
              '状态：已发货',
              '商品：20000mAh 充电宝 ×1（¥149.00）；羊绒围巾 ×2（¥299.00）',
              '实付：¥747.00',
              '承运商：京东物流，运单号 JD7730707805405',
              '发货时间：2026年11月23日 20:21',
              '预计送达：2026年11月26日 前后',
            ],
            { replies: 1, dialog: null },
          ],
        ],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1019',
        turns: [
          [
            'where is my order KF202611210002',
            [
              'Order KF202611210002 (placed Nov 22, 2026)',
              'Status: Shipped',
              'Items: Longjing green tea 250 g ×1 (¥268.00)',
              'Total: ¥268.00',
              'Carrier: 中通快递, tracking number 731765042718079',
              'Shipped: Nov 22, 2026, 21:40',
              'Expected delivery: around Nov 25, 2026',
            ],
            { replies: 1, dialog: null },
          ],
        ],
      },
    ],
  ])('(%s) when a customer asks about their shipped order by number, then status, items, total, carrier, tracking number, shipped and expected delivery are shown', async (locale, { shopId, turns }) => {
    await (await env.chat({ shopId, locale })).play(turns);
  });

  test.each<[Locale, { shopId: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1011',
        turns: [
          [
            '查一下我的订单',
            [
              '请问是哪个订单？',
              '1. KF202611250017 · 2026年11月25日 · 待付款 · ¥735.00 · 通勤双肩包 ×1（¥199.00）；西湖龙井 250g ×2（¥268.00）',
              '2. KF202611240004 · 2026年11月25日 · 已发货 · ¥237.00',
              '3. KF202611230019 · 2026年11月23日 · 待付款 · ¥528.00',
              '4. KF202610170001 · 2026年10月17日 · 已签收 · ¥143.10',
              '5. KF202610120002 · 2026年10月12日 · 已签收 · ¥116.10',
            ],
            { buttons: ['KF202611250017 通勤双肩包', 'KF202611240004 陶瓷马克杯', 'KF202611230019 记忆棉枕头', 'KF202610170001 LED护眼台灯', 'KF202610120002 电热水壶 1.7L'], dialog: 'kefu.orderStatus' },
          ],
          ['第二个', ['订单 KF202611240004（下单时间 2026年11月25日）', '状态：已发货', '承运商：顺丰速运，运单号 SF0000704477900', '预计送达：2026年11月29日 前后'], { dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1012',
        turns: [
          [
            'check my orders',
            [
              'Which order do you mean?',
              '1. KF202611240015 · Nov 24, 2026 · Awaiting payment · ¥377.00 · Longjing green tea 250 g ×1 (¥268.00); Electric kettle 1.7 L ×1 (¥129.00)',
              '2. KF202611230007 · Nov 23, 2026 · Shipped · ¥1,397.00',
              '3. KF202611130001 · Nov 13, 2026 · Delivered · ¥159.00',
              '4. KF202608170001 · Aug 17, 2026 · Returned · ¥199.00',
            ],
            { buttons: ['KF202611240015 Longjing green tea 250 g', 'KF202611230007 Cashmere scarf', 'KF202611130001 LED desk lamp', 'KF202608170001 Commuter backpack'], dialog: 'kefu.orderStatus' },
          ],
          ['the second one', ['Order KF202611230007 (placed Nov 23, 2026)', 'Status: Shipped', 'Carrier: 中通快递, tracking number 710929624496189', 'Expected delivery: around Nov 27, 2026'], { dialog: null }],
        ],
      },
    ],
  ])('(%s) when a customer asks without a number, then their recent orders are offered as buttons and "the second one" picks the second', async (locale, { shopId, turns }) => {
    await (await env.chat({ shopId, locale })).play(turns);
  });

  test.each<[Locale, string, Turn]>([
    ['zh-CN', 'C1044', ['我的订单KF202611210001到哪了', ['在您的订单中没有找到订单 KF202611210001，请核对订单号'], { replies: 1, absent: ['JD7730707805405', '羊绒围巾'] }]],
    ['en-US', 'C1046', ['where is my order KF202611210002', ["I couldn't find order KF202611210002 among your orders. Please check the number"], { replies: 1, absent: ['731765042718079', 'Longjing'] }]],
  ])("(%s) when a customer gives another customer's order number, then it is not found among their orders and nothing of it is shown", async (locale, shopId, turn) => {
    await (await env.chat({ shopId, locale })).play([turn]);
  });

  test.each<[Locale, string, Turn]>([
    ['zh-CN', 'C1044', ['我的订单KF209901010001到哪了', ['在您的订单中没有找到订单 KF209901010001，请核对订单号（形如 KF202611250042）。'], { replies: 1 }]],
    ['en-US', 'C1046', ['where is my order KF209901010001', ["I couldn't find order KF209901010001 among your orders. Please check the number (it looks like KF202611250042)."], { replies: 1 }]],
  ])('(%s) when the order number does not exist, then the customer is told it is not among their orders', async (locale, shopId, turn) => {
    await (await env.chat({ shopId, locale })).play([turn]);
  });

  test.each<[Locale, Turn]>([
    ['zh-CN', ['我的订单KF202611230001到哪了', ['请先登录商城账号'], { replies: 1, dialog: null }]],
    ['en-US', ['where is my order KF202611230001', ['Please sign in to your shop account first'], { replies: 1, dialog: null }]],
  ])('(%s) when the customer is not signed in, then they are asked to sign in and no order is looked up', async (locale, turn) => {
    await (await env.chat({ locale, verified: false })).play([turn]);
  });
});

describe('cancel an order', () => {
  test.each<[Locale, { number: string; shopId: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        number: 'KF202611230002',
        shopId: 'C1014',
        turns: [
          ['取消订单KF202611230002', ['确定要取消订单 KF202611230002（降噪蓝牙耳机 ×1（¥899.00）；20000mAh 充电宝 ×1（¥149.00），合计 ¥1,048.00）吗？'], { buttons: ['确定取消', '先不取消'], dialog: 'kefu.cancelOrder' }],
          ['是的', ['已提交订单 KF202611230002 的取消申请', '商家确认后', '¥1,048.00 将原路退回'], { dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        number: 'KF202611230022',
        shopId: 'C1008',
        turns: [
          [
            'cancel order KF202611230022',
            ['Cancel order KF202611230022 (20,000 mAh power bank ×1 (¥149.00); Memory-foam pillow ×1 (¥129.00); Commuter backpack ×1 (¥199.00), total ¥457.00)?'],
            { buttons: ['Yes, cancel it', 'No, keep it'], dialog: 'kefu.cancelOrder' },
          ],
          ['yes', ['Your request to cancel order KF202611230022 has been submitted', 'Once the shop confirms', 'the ¥457.00 you paid goes back'], { dialog: null }],
        ],
      },
    ],
  ])('(%s) when a paid order is cancelled after confirmation, then the request is submitted to the shop (which confirms it: src/features/shop), the refund is announced and the request is audit-logged by the customer', async (locale, { number, shopId, turns }) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
    const after = await order(number);
    expect(after).toMatchObject({ status: 'PAID', cancelRequestedAt: NOW });
    expect(await auditOf(after.id)).toEqual([expect.objectContaining({ actorType: 'customer', actorId: chat.who.customerId, action: 'order.cancel_request', before: { status: 'PAID' } })]);
  });

  test.each<[Locale, { number: string; shopId: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        number: 'KF202611240005',
        shopId: 'C1045',
        turns: [
          ['取消订单KF202611240005', ['确定要取消订单 KF202611240005', '合计 ¥326.00'], { buttons: ['确定取消', '先不取消'], dialog: 'kefu.cancelOrder' }],
          ['先不取消', ['好的，订单 KF202611240005 保持不变。'], { dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        number: 'KF202611240007',
        shopId: 'C1035',
        turns: [
          ['cancel order KF202611240007', ['Cancel order KF202611240007', 'total ¥528.00'], { buttons: ['Yes, cancel it', 'No, keep it'], dialog: 'kefu.cancelOrder' }],
          ['No, keep it', ['OK, order KF202611240007 stays as it is.'], { dialog: null }],
        ],
      },
    ],
  ])('(%s) when the customer says no, then the order is kept', async (locale, { number, shopId, turns }) => {
    await (await env.chat({ shopId, locale })).play(turns);
    expect((await order(number)).status).toBe('PAID');
  });

  test.each<[Locale, { number: string; shopId: string; turn: Turn }]>([
    ['zh-CN', { number: 'KF202611210001', shopId: 'C1041', turn: ['取消订单KF202611210001', ['订单 KF202611210001 已经发货，无法再取消', '退货期限内申请退货'], { buttons: ['查订单'], dialog: null }] }],
    [
      'en-US',
      { number: 'KF202611210002', shopId: 'C1019', turn: ['cancel order KF202611210002', ["Order KF202611210002 has already shipped, so it can't be cancelled", 'return it within the return window'], { buttons: ['Order status'], dialog: null }] },
    ],
  ])('(%s) when the order has shipped, then it is not cancelled, the customer is told why and offered to check it', async (locale, { number, shopId, turn }) => {
    await (await env.chat({ shopId, locale })).play([turn]);
    const after = await order(number);
    expect(after.status).toBe('SHIPPED');
    expect(await auditOf(after.id)).toEqual([]);
  });
});

describe('change the delivery address', () => {
  test.each<[Locale, { number: string; shopId: string; before: string; after: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        number: 'KF202611230015',
        shopId: 'C1036',
        before: '武汉市洪山区珞喻路37号',
        after: '上海市徐汇区漕溪北路 88 号 5 楼',
        turns: [
          ['订单KF202611230015修改收货地址', ['订单 KF202611230015 的新收货地址是？当前地址：武汉市洪山区珞喻路37号'], { dialog: 'kefu.changeAddress' }],
          ['北京', ['请在一行内输入完整的收货地址（5 到 200 个字'], { replies: 1 }],
          ['上海市徐汇区漕溪北路 88 号 5 楼', ['确定将订单 KF202611230015 的收货地址改为：上海市徐汇区漕溪北路 88 号 5 楼？'], { buttons: ['是的', '不用了'] }],
          ['是的', ['已修改：订单 KF202611230015 将配送到 上海市徐汇区漕溪北路 88 号 5 楼。'], { dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        number: 'KF202611230016',
        shopId: 'C1049',
        before: '南京市鼓楼区中山路173号',
        after: '88 Caoxi Rd N, Xuhui District, Shanghai',
        turns: [
          ['change the delivery address of KF202611230016', ['What is the new delivery address for order KF202611230016? The current one is: 南京市鼓楼区中山路173号'], { dialog: 'kefu.changeAddress' }],
          ['abc', ['Please type the full delivery address on one line (5 to 200 characters'], { replies: 1 }],
          ['88 Caoxi Rd N, Xuhui District, Shanghai', ['Change the delivery address of order KF202611230016 to: 88 Caoxi Rd N, Xuhui District, Shanghai?'], { buttons: ['Yes', 'No'] }],
          ['yes', ['Done: order KF202611230016 will be delivered to 88 Caoxi Rd N, Xuhui District, Shanghai.'], { dialog: null }],
        ],
      },
    ],
  ])('(%s) when a new address is given for an order not yet shipped, then a bad one is re-asked, the good one is saved after confirmation and audit-logged with before and after', async (locale, { number, shopId, before, after, turns }) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
    const changed = await order(number);
    expect(changed.shippingAddress).toBe(after);
    const audit = await env.db.auditLog.findFirstOrThrow({ where: { entity: 'Order', entityId: changed.id, action: 'order.address' } });
    // The audit log keeps addresses masked (issue 17): their first three characters.
    const masked = (address: string) => `${[...address].slice(0, 3).join('')}***`;
    expect(audit).toMatchObject({ actorType: 'customer', actorId: chat.who.customerId, before: { shippingAddress: masked(before) }, after: { shippingAddress: masked(after) } });
  });

  test.each<[Locale, { number: string; shopId: string; address: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        number: 'KF202611230019',
        shopId: 'C1011',
        address: '武汉市洪山区珞喻路139号',
        turns: [
          ['订单KF202611230019修改收货地址', ['订单 KF202611230019 的新收货地址是？'], { dialog: 'kefu.changeAddress' }],
          ['短', ['请在一行内输入完整的收货地址'], { replies: 1 }],
          ['12', ['请在一行内输入完整的收货地址'], { replies: 1 }],
          ['!!', ['抱歉，我还是没能理解您的意思。需要为您转人工吗？'], { buttons: ['转人工'], dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        number: 'KF202611230020',
        shopId: 'C1042',
        address: '杭州市西湖区文三路79号',
        turns: [
          ['change the delivery address of KF202611230020', ['What is the new delivery address for order KF202611230020?'], { dialog: 'kefu.changeAddress' }],
          ['x', ['Please type the full delivery address on one line'], { replies: 1 }],
          ['12', ['Please type the full delivery address on one line'], { replies: 1 }],
          ['!!', ["Sorry, I still couldn't make sense of that. Would you like to talk to a person?"], { buttons: ['Talk to a person'], dialog: null }],
        ],
      },
    ],
  ])('(%s) when the address is refused three times, then the dialog ends with the offer of a person and nothing changes', async (locale, { number, shopId, address, turns }) => {
    await (await env.chat({ shopId, locale })).play(turns);
    expect((await order(number)).shippingAddress).toBe(address);
  });

  test.each<[Locale, string, Turn]>([
    ['zh-CN', 'C1018', ['订单KF202611210003修改收货地址', ['订单 KF202611210003 已经出库（已发货），无法再修改地址'], { buttons: ['退换货', '转人工'], dialog: null }]],
    ['en-US', 'C1021', ['change the delivery address of KF202611210004', ["Order KF202611210004 has already left our warehouse (Shipped), so its address can't be changed"], { buttons: ['Returns & exchanges', 'Talk to a person'], dialog: null }]],
  ])('(%s) when the order has shipped, then the address is not changed and a return or a person is offered', async (locale, shopId, turn) => {
    await (await env.chat({ shopId, locale })).play([turn]);
  });
});
