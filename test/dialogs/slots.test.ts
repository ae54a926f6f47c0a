import type { Locale } from '../../src/config/locales';
import { DialogEnv, type Turn } from './support';

/*
 * What the customer already said is used, not asked again: the new address after "改成" / "change it
 * to", the reason and the item in the first message, the phone number on the account ("use this
 * number?"). Demo customers: C1036 / C1049 have unpaid orders; C1003 / C1030 received orders this week.
 */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

const summaries = async (conversationId: string) => (await env.db.ticket.findMany({ where: { conversationId } })).map((t) => t.summary);

describe('the new address in the request', () => {
  test.each<[Locale, { shopId: string; number: string; address: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1036',
        number: 'KF202611230015',
        address: '北京市朝阳区建国路88号',
        turns: [
          ['地址写错了 改成 北京市朝阳区建国路88号', ['请问是哪个订单？', '2. KF202611230015'], { dialog: 'kefu.changeAddress' }],
          ['第二个', ['确定将订单 KF202611230015 的收货地址改为：北京市朝阳区建国路88号？'], { buttons: ['是的', '不用了'] }],
          ['对', ['已修改：订单 KF202611230015 将配送到 北京市朝阳区建国路88号。'], { dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1049',
        number: 'KF202611230016',
        address: '88 Caoxi Rd N, Xuhui District, Shanghai',
        turns: [
          ['KF202611230016 wrong address, please change it to 88 Caoxi Rd N, Xuhui District, Shanghai', ['Change the delivery address of order KF202611230016 to: 88 Caoxi Rd N, Xuhui District, Shanghai?'], { buttons: ['Yes', 'No'] }],
          ['yes', ['Done: order KF202611230016 will be delivered to 88 Caoxi Rd N, Xuhui District, Shanghai.'], { dialog: null }],
        ],
      },
    ],
  ])('(%s) when the first message gives the new address, then it is not asked again and only that address is saved', async (locale, { shopId, number, address, turns }) => {
    await (await env.chat({ shopId, locale })).play(turns);
    expect((await env.db.order.findUniqueOrThrow({ where: { number } })).shippingAddress).toBe(address);
  });
});

describe('the reason and the item in the first message', () => {
  test.each<[Locale, { shopId: string; turns: Turn[]; summary: string[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1003',
        turns: [
          ['不想要了能退吗', ['请问是哪个订单？']],
          ['最新那个', ['订单 KF202611170001 中的哪件商品？']],
          ['枕头', ['如果方便，请发送商品照片'], { absent: ['请问是什么原因？'] }],
          ['跳过', ['订单 KF202611170001 申请退货：记忆棉枕头 ×1。', '因个人原因退换，退回运费（¥10.00）需由您承担。']],
          ['好的', ['您的退货申请已提交'], { dialog: null }],
        ],
        summary: ['记忆棉枕头 ×1', '不想要了', '不想要了能退吗', '¥10.00 由客户承担'],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1030',
        turns: [
          ['I want to return the desk lamp, it stopped working', ['Please send photos of the problem'], { absent: ['Which order', "What's the reason?"] }],
          ['skip', ['Return for order KF202611180002: LED desk lamp ×1.', "As it's a quality problem, the return shipping is free."]],
          ['yes', ['Your return request is submitted'], { dialog: null }],
        ],
        summary: ['LED desk lamp ×1', 'Quality problem', 'it stopped working', 'return shipping free'],
      },
    ],
  ])('(%s) when the first message says why (and which item), then neither is asked and both reach the return ticket', async (locale, { shopId, turns, summary }) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
    const [ticket] = await summaries(chat.who.conversationId);
    for (const fragment of summary) expect(ticket).toContain(fragment);
  });
});

describe('the phone number on the account', () => {
  test.each<[Locale, { shopId: string; phone: string; turns: Turn[] }]>([
    [
      'zh-CN',
      {
        shopId: 'C1003',
        phone: '13812345678',
        turns: [
          ['维修', ['哪件商品需要维修？'], { buttons: ['纯棉圆领T恤', '记忆棉枕头', '羊绒围巾', '透气跑步鞋'] }],
          ['枕头', ['您的记忆棉枕头出了什么问题？']],
          ['枕头塌了 一点都不回弹', ['维修人员拨打您账户里的号码 186****3882 可以吗？'], { buttons: ['用这个号码', '换一个号码'] }],
          ['换一个号码', ['维修人员可以拨打哪个电话联系您？']],
          ['13812345678', ['维修人员会在 2 个工作日内拨打 13812345678 联系您'], { dialog: null }],
        ],
      },
    ],
    [
      'en-US',
      {
        shopId: 'C1030',
        phone: '15060619299',
        turns: [
          ['my desk lamp needs repair', ["What's wrong with your LED desk lamp?"]],
          ['it flickers and then goes dark', ['Can our repair team call you on the number on your account, 150****9299?'], { buttons: ['Use this number', 'Another number'] }],
          ['the one on my account', ['Our repair team will call you on 15060619299 within 2 working days'], { dialog: null }],
        ],
      },
    ],
  ])('(%s) when the shop has the customer phone, then "use this number?" is asked and the answer (that one, or another) is the number called', async (locale, { shopId, phone, turns }) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
    const [ticket] = await env.db.ticket.findMany({ where: { conversationId: chat.who.conversationId } });
    expect(ticket?.contactPhone).toBe(phone);
    expect(ticket?.summary).toContain(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
  });
});
