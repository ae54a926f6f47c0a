import type { Locale } from '../../src/config/locales';
import { DialogEnv, type Turn } from './support';

/*
 * Customers changing their own details in their own words: "手机号换了，帮我改一下" asks for the new
 * number at once; the new number or e-mail typed where a button is offered is that change.
 */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

describe('changing one\'s own details', () => {
  test.each<[Locale, string, Turn[], { phone?: string; email?: string }]>([
    [
      'zh-CN',
      'C1022',
      [
        ['手机号换了，帮我改一下', ['我们保存的您的信息如下', '请输入正确的电话号码'], { replies: 2, absent: ['您想更正信息'], dialog: 'kefu.myData' }],
        ['13912345678', ['已更新：您的电话已从', '改为 13912345678'], { dialog: null }],
      ],
      { phone: '13912345678' },
    ],
    [
      'en-US',
      'C1023',
      [
        ['i have a new email address', ['This is what we store about you', "What's your correct e-mail address?"], { replies: 2, absent: ['Would you like to correct something'], dialog: 'kefu.myData' }],
        ['someone.new@example.com', ['Done: your e-mail was changed from', 'to someone.new@example.com'], { dialog: null }],
      ],
      { email: 'someone.new@example.com' },
    ],
  ])('(%s) when the customer says which detail changed, then the new one is asked at once and saved', async (locale, shopId, turns, saved) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
    expect(await env.db.customer.findUniqueOrThrow({ where: { id: chat.who.customerId }, select: { phone: true, email: true } })).toMatchObject(saved);
  });

  test.each<[Locale, string, Turn[], { phone?: string; email?: string }]>([
    ['zh-CN', 'C1024', [['我的个人信息', ['您想更正信息'], { dialog: 'kefu.myData' }], ['13800001111', ['改为 13800001111'], { dialog: null }]], { phone: '13800001111' }],
    ['en-US', 'C1025', [['what personal data do you have about me', ['Would you like to correct something'], { dialog: 'kefu.myData' }], ['me@example.org', ['to me@example.org'], { dialog: null }]], { email: 'me@example.org' }],
  ])('(%s) when the customer types a new number or e-mail where the buttons are offered, then that is the change', async (locale, shopId, turns, saved) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play(turns);
    expect(await env.db.customer.findUniqueOrThrow({ where: { id: chat.who.customerId }, select: { phone: true, email: true } })).toMatchObject(saved);
  });

  test.each<[Locale, string, Turn, { phone?: string; email?: string }]>([
    ['zh-CN', 'C1027', ['我的邮箱改成 wang.new@example.cn', ['我们保存的您的信息如下', '已更新：您的邮箱已从', '改为 wang.new@example.cn'], { replies: 2, absent: ['请输入'], dialog: null }], { email: 'wang.new@example.cn' }],
    ['en-US', 'C1028', ['please change my email to sam.new@example.com.', ['This is what we store about you', 'Done: your e-mail was changed from', 'to sam.new@example.com'], { replies: 2, absent: ["What's your correct"], dialog: null }], { email: 'sam.new@example.com' }],
  ])('(%s) when the message gives the new e-mail with the change, then it is saved at once, not asked for', async (locale, shopId, turn, saved) => {
    const chat = await env.chat({ shopId, locale });
    await chat.play([turn]);
    expect(await env.db.customer.findUniqueOrThrow({ where: { id: chat.who.customerId }, select: { phone: true, email: true } })).toMatchObject(saved);
  });

  test.each<[Locale, Turn]>([
    ['zh-CN', ['看一下我的个人信息里的电话', ['您想更正信息'], { dialog: 'kefu.myData' }]],
    ['en-US', ['what phone number do you have for me', ['Would you like to correct something'], { dialog: 'kefu.myData' }]],
  ])('(%s) when the customer only asks what is stored, then nothing is asked to be changed', async (locale, turn) => {
    await (await env.chat({ shopId: 'C1026', locale })).play([turn]);
  });
});
