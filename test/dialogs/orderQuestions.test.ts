import type { Locale } from '../../src/config/locales';
import { DialogEnv, type Turn } from './support';

/*
 * Questions about orders as customers ask them, on the demo shop seeded on the fixed clock
 * (Thursday 2026-11-26 10:00 in Shanghai). C1011 has two orders awaiting payment, one shipped
 * (KF202611240004: mugs and a desk lamp) and two delivered in October (a desk lamp; a kettle,
 * KF202610120002: past the 7-day return window); C1012 one awaiting payment, one shipped (KF202611230007), one delivered, one returned.
 */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

describe('a question about a delivery', () => {
  test.each<[Locale, string, Turn]>([
    ['zh-CN', 'C1011', ['我的快递怎么还没到', ['订单 KF202611240004（下单时间 2026年11月25日）', '状态：已发货', '承运商：顺丰速运，运单号 SF0000704477900', '预计送达：2026年11月29日 前后'], { replies: 1, dialog: null, absent: ['请问是哪个订单'] }]],
    ['zh-CN', 'C1012', ['包裹到哪了？', ['订单 KF202611230007', '状态：已发货'], { replies: 1, dialog: null }]],
    ['zh-CN', 'C1012', ['請問我的快遞到哪裡了', ['订单 KF202611230007', '状态：已发货'], { replies: 1, dialog: null }]],
    ['en-US', 'C1012', ['hi, where is my package? it has been days', ['Order KF202611230007 (placed Nov 23, 2026)', 'Status: Shipped', 'Expected delivery: around Nov 27, 2026'], { replies: 1, dialog: null, absent: ['Which order'] }]],
    ['en-US', 'C1011', ["my parcel still hasn't arrived", ['Order KF202611240004', 'Status: Shipped'], { replies: 1, dialog: null }]],
  ])('(%s) when a customer asks where their parcel is and one order is on its way, then that order is shown at once', async (locale, shopId, turn) => {
    await (await env.chat({ shopId, locale })).play([turn]);
  });

  test.each<[Locale, Turn]>([
    ['zh-CN', ['我的快递到哪了，就是那个电热水壶', ['订单 KF202610120002', '状态：已签收'], { dialog: null, absent: ['KF202611240004'] }]],
    ['en-US', ['where is my package with the kettle', ['Order KF202610120002', 'Status: Delivered'], { dialog: null, absent: ['KF202611240004'] }]],
  ])('(%s) when the question about a delivery names an item, then the order of that item is shown, not the one on its way', async (locale, turn) => {
    await (await env.chat({ shopId: 'C1011', locale })).play([turn]);
  });
});

describe('a parcel the carrier reports delivered that never came', () => {
  test.each<[Locale, Turn[]]>([
    [
      'zh-CN',
      [
        ['快递显示签收了但是我根本没收到', ['请问是哪个订单？', 'KF202610120002'], { absent: ['KF202611240004'] }],
        ['电热水壶那个', ['订单 KF202610120002', '状态：已签收', '物流显示已于', '签收。如果您没有收到', '点击“我要投诉”'], { buttons: ['我要投诉', '转人工'], dialog: null }],
      ],
    ],
    [
      'en-US',
      [
        ['tracking says it was delivered but I never got it', ['Which order do you mean?', 'KF202610120002'], { absent: ['KF202611240004'] }],
        ['the kettle one', ['Order KF202610120002', 'Status: Delivered', 'The carrier reports it delivered on', 'tap "Make a complaint"'], { buttons: ['Make a complaint', 'Talk to a person'], dialog: null }],
      ],
    ],
    [
      'zh-CN',
      [
        ['物流显示已经签收了，可是我家门口什么都没有', ['请问是哪个订单？', 'KF202610120002'], { absent: ['KF202611240004'] }],
        ['电热水壶那个', ['订单 KF202610120002', '签收。如果您没有收到'], { buttons: ['我要投诉', '转人工'], dialog: null }],
      ],
    ],
    [
      'en-US',
      [
        ["it says delivered but I can't find it anywhere", ['Which order do you mean?', 'KF202610120002'], { absent: ['KF202611240004'] }],
        ['the kettle one', ['Order KF202610120002', 'The carrier reports it delivered on'], { buttons: ['Make a complaint', 'Talk to a person'], dialog: null }],
      ],
    ],
  ])('(%s) when the customer says the parcel shows delivered but never came, then the delivered orders are offered and the one picked says what to check and offers a complaint', async (locale, turns) => {
    await (await env.chat({ shopId: 'C1011', locale })).play(turns);
  });

  test.each<[Locale, Turn]>([
    ['zh-CN', ['查一下那个电热水壶的订单', ['订单 KF202610120002', '状态：已签收'], { dialog: null, absent: ['如果您没有收到'] }]],
    ['en-US', ['where is my package with the kettle', ['Order KF202610120002', 'Status: Delivered'], { dialog: null, absent: ["If you haven't got it"] }]],
  ])('(%s) when the customer only asks about a delivered order, then it is shown without the advice for a missing parcel', async (locale, turn) => {
    await (await env.chat({ shopId: 'C1011', locale })).play([turn]);
  });
});

describe('a task asked for while choosing an order to look at', () => {
  test.each<[Locale, Turn[]]>([
    [
      'zh-CN',
      [
        ['查一下我的订单', ['请问是哪个订单？'], { dialog: 'kefu.orderStatus' }],
        ['我想把那个电热水壶退掉，不想要了', ['退换货需在签收后 7 天内申请，订单 KF202610120002', '已经超过期限'], { absent: ['状态：已签收'] }],
      ],
    ],
    [
      'en-US',
      [
        ['check my orders', ['Which order do you mean?'], { dialog: 'kefu.orderStatus' }],
        ["I'd like to return the kettle, I don't want it anymore", ['Returns and exchanges are possible within 7 days of delivery; for order KF202610120002'], { absent: ['Status: Delivered'] }],
      ],
    ],
  ])('(%s) when the customer answers "which order?" with a return of one of its items, then the return is handled, not the order shown', async (locale, turns) => {
    await (await env.chat({ shopId: 'C1011', locale })).play(turns);
  });

  test.each<[Locale, Turn[]]>([
    ['zh-CN', [['查一下我的订单', ['请问是哪个订单？']], ['电热水壶那个', ['订单 KF202610120002', '状态：已签收'], { dialog: null }]]],
    ['en-US', [['check my orders', ['Which order do you mean?']], ['the kettle one', ['Order KF202610120002', 'Status: Delivered'], { dialog: null }]]],
  ])('(%s) when the customer answers "which order?" with an item alone, then that order is shown', async (locale, turns) => {
    await (await env.chat({ shopId: 'C1011', locale })).play(turns);
  });
});

describe('an order number alone', () => {
  test.each<[Locale, Turn]>([
    ['zh-CN', ['KF202611230007', ['订单 KF202611230007（下单时间 2026年11月23日）', '状态：已发货'], { replies: 1, dialog: null, absent: ['没有完全理解'] }]],
    ['zh-CN', ['KF202611230007 怎么回事', ['订单 KF202611230007', '状态：已发货'], { replies: 1, dialog: null }]],
    ['en-US', ['KF202611230007', ['Order KF202611230007 (placed Nov 23, 2026)', 'Status: Shipped'], { replies: 1, dialog: null }]],
  ])('(%s) when the customer sends an order number with nothing the bot understands, then that order is shown', async (locale, turn) => {
    await (await env.chat({ shopId: 'C1012', locale })).play([turn]);
  });
});

describe('a change to an order, without saying which', () => {
  test.each<[Locale, Turn]>([
    ['zh-CN', ['我想取消订单', ['确定要取消订单 KF202611240015'], { buttons: ['确定取消', '先不取消'], absent: ['请问是哪个订单'] }]],
    ['en-US', ['I want to cancel my order', ['Cancel order KF202611240015'], { absent: ['Which order do you mean'] }]],
  ])('(%s) when one order has not shipped, then the cancel is about that one (a shipped one could not be cancelled)', async (locale, turn) => {
    await (await env.chat({ shopId: 'C1012', locale })).play([turn]);
  });

  test.each<[Locale, Turn]>([
    ['zh-CN', ['我要改收货地址', ['请问是哪个订单？', 'KF202611250017', 'KF202611230019'], { absent: ['KF202611240004', 'KF202610170001'] }]],
    ['en-US', ['i need to change the address on my order', ['Which order do you mean?', 'KF202611250017', 'KF202611230019'], { absent: ['KF202611240004', 'KF202610170001'] }]],
  ])('(%s) when several orders have not shipped, then only those are offered for a new address', async (locale, turn) => {
    await (await env.chat({ shopId: 'C1011', locale })).play([turn]);
  });
});

describe('a return of an item that is also in an order on its way', () => {
  test.each<[Locale, Turn]>([
    ['zh-CN', ['台灯想退，颜色不喜欢', ['订单 KF202611240004 还没有签收（已发货）', '签收后 7 天内可以申请退换货'], { absent: ['KF202610170001'], dialog: null }]],
    ['en-US', ['I want to return the desk lamp, wrong colour', ["Order KF202611240004 hasn't been delivered yet (Shipped)", 'within 7 days after delivery'], { absent: ['KF202610170001'], dialog: null }]],
  ])('(%s) when the item named is in the newest order, still on its way, then the customer is told returns open after delivery, not refused on an older order', async (locale, turn) => {
    await (await env.chat({ shopId: 'C1011', locale })).play([turn]);
  });
});

describe('the buttons under an order', () => {
  test.each<[Locale, string, string, string, string]>([
    ['zh-CN', 'C1011', '电热水壶那个订单到哪了', '维修', '您的电热水壶 1.7L出了什么问题？'],
    ['en-US', 'C1011', 'where is my package with the kettle', 'Repair', "What's wrong with your Electric kettle 1.7 L?"],
  ])('(%s) when the customer taps a request below the order shown, then it starts with that order, not "which order?"', async (locale, shopId, ask, tap, next) => {
    const chat = await env.chat({ shopId, locale });
    const shown = (await chat.say(ask)).at(-1);
    const button = shown?.suggestedActions?.actions.find((a) => a.title === tap);
    expect(button).toMatchObject({ type: 'messageBack', text: tap, value: { orderNumber: 'KF202610120002' } });
    const replies = await chat.texts({ type: 'message', text: tap, value: button?.value });
    expect(replies.join('\n')).toContain(next);
    expect(replies.join('\n')).not.toMatch(/请问是哪个订单|Which order do you mean|哪件商品需要维修|Which product needs repair/);
  });
});
