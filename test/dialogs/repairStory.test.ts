import type { Locale } from '../../src/config/locales';
import { DialogEnv, type Turn } from './support';

/*
 * A repair asked for with the problem in the same message ("枕头塌了，一点都不回弹", "my desk lamp
 * flickers and then goes dark"): the problem is not asked again. Demo customers on the fixed clock.
 */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

describe('a repair told in one message', () => {
  test.each<[Locale, string, Turn[], string]>([
    [
      'zh-CN',
      'C1003',
      [
        ['枕头塌了，一点都不回弹，想修一下', ['维修人员拨打您账户里的号码 186****3882 可以吗？'], { replies: 1, absent: ['出了什么问题'], dialog: 'kefu.repair' }],
        ['用这个号码', ['您的维修申请已提交'], { dialog: null }],
      ],
      '枕头塌了，一点都不回弹',
    ],
    [
      'zh-CN',
      'C1011',
      [
        ['台灯不亮了', ['维修人员拨打您账户里的号码 158****3943 可以吗？'], { replies: 1, absent: ['出了什么问题'], dialog: 'kefu.repair' }],
        ['用这个号码', ['您的维修申请已提交'], { dialog: null }],
      ],
      '台灯不亮了',
    ],
    [
      'en-US',
      'C1030',
      [
        ['my desk lamp flickers and then goes dark', ['Can our repair team call you on the number on your account, 150****9299?'], { replies: 1, absent: ["What's wrong"], dialog: 'kefu.repair' }],
        ['the one on my account', ['Our repair team will call you on 15060619299'], { dialog: null }],
      ],
      'my desk lamp flickers and then goes dark',
    ],
  ])('(%s) when the message names the product and says what is wrong, then the problem is not asked again and the ticket keeps it', async (locale, shopId, turns, problem) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
    const [ticket] = await env.db.ticket.findMany({ where: { conversationId: chat.who.conversationId } });
    expect(ticket).toMatchObject({ category: 'repair' });
    expect(ticket.summary).toContain(problem);
  });

  test.each<[Locale, string, Turn]>([
    ['zh-CN', 'C1003', ['枕头坏了', ['您的记忆棉枕头出了什么问题？'], { dialog: 'kefu.repair' }]],
    ['zh-CN', 'C1011', ['台灯能修吗', ['您的LED护眼台灯出了什么问题？'], { dialog: 'kefu.repair' }]],
    ['zh-CN', 'C1011', ['我的台灯有问题，帮我修一下', ['您的LED护眼台灯出了什么问题？'], { dialog: 'kefu.repair' }]],
    ['en-US', 'C1030', ['my desk lamp needs repair', ["What's wrong with your LED desk lamp?"], { dialog: 'kefu.repair' }]],
  ])('(%s) when the message names the product but not what is wrong, then the problem is asked', async (locale, shopId, turn) => {
    await (await env.chat({ shopId, locale })).play([turn]);
  });
});
