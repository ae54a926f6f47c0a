import type { Locale } from '../../src/config/locales';
import { DialogEnv, type Turn } from './support';

/*
 * "It arrived broken", said in the customer's own words, is a quality return (free return shipping,
 * photos of the problem) while the 7-day window is open; past it, the bot offers a repair first.
 */
const env = new DialogEnv();
beforeAll(() => env.start());
afterAll(() => env.stop());

describe('an item that arrived broken', () => {
  test.each<[Locale, string, Turn[]]>([
    [
      'zh-CN',
      'C1014',
      [
        ['收到的杯子是坏的', ['请问是哪个订单？'], { dialog: 'kefu.returns' }],
        ['第一个', ['请发送问题部位的照片（可以发多张），或点击“跳过”。'], { buttons: ['跳过'] }],
      ],
    ],
    [
      'zh-CN',
      'C1014',
      [
        ['快递刚到 里面的盘子碎了', ['请问是哪个订单？'], { dialog: 'kefu.returns' }],
        ['第一个', ['请发送问题部位的照片'], { buttons: ['跳过'] }],
      ],
    ],
    [
      'en-US',
      'C1014',
      [
        ['my parcel came today and the vase inside is smashed', ['Which order do you mean?'], { dialog: 'kefu.returns' }],
        ['the first one', ['Please send photos of the problem'], { buttons: ['Skip'] }],
      ],
    ],
    [
      'en-US',
      'C1014',
      [
        ['the mug arrived cracked', ['Which order do you mean?'], { dialog: 'kefu.returns' }],
        ['the first one', ['Please send photos of the problem'], { buttons: ['Skip'] }],
      ],
    ],
  ])('(%s, %s) while the return window is open, then it is a quality return: the reason is not asked, photos of the problem are', async (locale, shopId, turns) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
  });

  test.each<[Locale, Turn, string, string[]]>([
    ['zh-CN', ['收到的水壶是坏的', ['已经超过期限。商品有质量问题的话，可以申请维修（2 个工作日内联系您），也可以投诉或转人工。'], { buttons: ['维修', '我要投诉', '转人工'] }], '维修', ['出了什么问题？']],
    ['en-US', ['the kettle arrived broken', ['As the item is faulty, our repair service can fix it (we contact you within 2 working days); or you can make a complaint or talk to a person.'], { buttons: ['Repair', 'Make a complaint', 'Talk to a person'] }], 'Repair', ["What's wrong with your"]],
  ])('(%s) when the return window has closed, then a repair is offered first, and tapping it starts the repair with that product', async (locale, first, repair, asked) => {
    const chat = await env.chat({ shopId: 'C1030', locale });
    const [replies] = await chat.play([first]);
    const tap = replies[replies.length - 1].suggestedActions?.actions.find((a) => a.title === repair);
    expect(tap?.value).toMatch(locale === 'zh-CN' ? /^维修：.*水壶/ : /^Repair: .*kettle/i);
    await chat.play([[String(tap?.value), asked, { dialog: 'kefu.repair', absent: [locale === 'zh-CN' ? '哪件商品需要维修？' : 'Which product needs repair?'] }]]);
  });
});
