import { menuLabels } from '../../dialogs/routes';
import type { Locale } from '../../src/config/locales';
import { WELCOME } from '../support/reads';
import { type Chat, DialogEnv, LOCALES, i18n } from './support';

/* The root dialog: welcome, routing, "not understood", interruptions and a person, as the customer reads them. */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

/** What each language's customer reads and taps in the root dialog. */
const ROOT = {
  'zh-CN': {
    hello: '你好',
    menu: ['查订单', '取消订单', '改地址', '退换货', '维修', '我要投诉', '常见问题', '我的积分', '我的资料', '我的工单', '转人工', '切换语言 / Language'],
    notUnderstood: '抱歉，我没有完全理解您的意思。您可以换个说法，或从下面的选项中选择。',
    complaintType: ['非常抱歉给您带来不好的体验。请问您要投诉哪方面？'],
    complaintTypes: ['商品质量', '服务态度', '物流配送', '其他'],
  },
  'en-US': {
    hello: 'hello',
    menu: ['Order status', 'Cancel an order', 'Change address', 'Returns & exchanges', 'Repair', 'Make a complaint', 'FAQ', 'My points', 'My data', 'My tickets', 'Talk to a person', '语言 / Language'],
    notUnderstood: "Sorry, I didn't quite get that. Could you say it another way, or pick one of the options below?",
    complaintType: ["I'm sorry about this. What is your complaint about?"],
    complaintTypes: ['Product quality', 'Service attitude', 'Delivery / logistics', 'Something else'],
  },
} as const;

/** Each menu label, and the first thing a new signed-in customer (no orders, no tickets, no points) reads when they tap it. */
const MENU_ANSWERS: Record<Locale, [label: string, reads: string][]> = {
  'zh-CN': [
    ['查订单', '您的账户中还没有订单。'],
    ['取消订单', '您的账户中还没有订单。'],
    ['改地址', '您的账户中还没有订单。'],
    ['退换货', '您想退货（退款）还是换货？'],
    ['维修', '哪件商品需要维修？请输入商品名称。'],
    ['我要投诉', '请问您要投诉哪方面？'],
    ['常见问题', '您想了解哪方面的问题？'],
    ['我的积分', '您目前有 0 积分，是白银会员。'],
    ['我的资料', '我们保存的您的信息如下：'],
    ['我的工单', '您目前没有工单。'],
    ['转人工', '我已为您创建工单 T20261126'],
    ['切换语言 / Language', '请选择您希望使用的语言'],
  ],
  'en-US': [
    ['Order status', "I couldn't find any orders in your account."],
    ['Cancel an order', "I couldn't find any orders in your account."],
    ['Change address', "I couldn't find any orders in your account."],
    ['Returns & exchanges', 'Would you like to return the item (refund) or exchange it?'],
    ['Repair', 'Which product needs repair? Please type its name.'],
    ['Make a complaint', 'What is your complaint about?'],
    ['FAQ', 'Which topic would you like to know about?'],
    ['My points', 'You have 0 points and you are a Silver member.'],
    ['My data', 'This is what we store about you:'],
    ['My tickets', 'You have no tickets at the moment.'],
    ['Talk to a person', "I've opened ticket T20261126"],
    ['语言 / Language', 'Which language would you like me to use?'],
  ],
};

describe.each(LOCALES)('the router (%s)', (locale) => {
  const root = ROOT[locale];
  const zh = locale === 'zh-CN';
  let chat: Chat;
  beforeEach(async () => {
    chat = await env.chat({ locale });
  });

  test('when the customer greets, then the welcome ends with a menu of every first-line dialog, my tickets, a person and the language switch', async () => {
    await chat.play([[root.hello, [...WELCOME[locale]], { replies: 3, buttons: [...root.menu], dialog: null }]]);
  });

  test('when the customer writes "my tickets", then the tickets dialog answers', async () => {
    await chat.play([[zh ? '我的工单' : 'my tickets', [zh ? '您目前没有工单。如需帮助，直接告诉我您遇到的问题即可。' : 'You have no tickets at the moment. If something is wrong, just tell me about it.'], { replies: 1 }]]);
  });

  test('when every menu label is tapped, then the dialog behind it answers (never the fallback)', async () => {
    expect(MENU_ANSWERS[locale].map(([label]) => label)).toEqual(menuLabels(i18n, locale, env.routes));
    for (const [label, reads] of MENU_ANSWERS[locale]) {
      const fresh = await env.chat({ locale });
      await fresh.play([[label, [reads], { absent: [root.notUnderstood] }]]);
    }
  });

  test('when the customer switches language in the middle, then the reply follows; digits alone keep the current language', async () => {
    const otherLocale = zh ? 'en-US' : 'zh-CN';
    const other = ROOT[otherLocale];
    await chat.play([
      [root.hello, [WELCOME[locale][0]], { replies: 3 }],
      [other.hello, [...WELCOME[otherLocale]], { replies: 3, buttons: [...other.menu] }],
      ['12345', [other.notUnderstood], { replies: 1 }],
    ]);
  });

  test('when the bot is not sure, then it says so and offers the closest intents and the menu; a tapped intent label routes there', async () => {
    const [[unsure]] = await chat.play([[zh ? '我的那个' : 'my thing', [root.notUnderstood], { replies: 1 }]]);
    expect(unsure.suggestedActions?.actions.map((a) => a.title).at(-1)).toBe(zh ? '主菜单' : 'Main menu');
    await chat.play([[zh ? '积分与会员' : 'Points & membership', [zh ? '每消费 1 元累积 1 积分。' : 'Every 1 yuan you spend earns 1 point.'], { replies: 1 }]]);
  });

  test('when two messages in a row are not understood, then a person takes over (here nobody is online: a ticket)', async () => {
    await chat.play([
      [zh ? '呵呵呵' : 'asdfgh', [root.notUnderstood], { replies: 1 }],
      [
        zh ? '我的那个' : 'my thing',
        zh ? ['抱歉，我还是没能理解您的意思，我请人工客服来帮您。', '现在没有在线的人工客服。我已为您创建工单 T20261126'] : ["Sorry, I still didn't understand: let me get a person to help you.", "no agent is online right now. I've opened ticket T20261126"],
        { replies: 2 },
      ],
    ]);
  });

  test('when a message is empty, emoji only, a sticker only or 10 000 characters long, then a localized answer comes, never an error', async () => {
    const sorry = zh ? '系统刚刚出了点问题' : 'something went wrong on our side';
    await chat.play([
      [{ text: '' }, [zh ? '您发送的消息是空的。请问有什么可以帮您？' : 'Your message arrived empty. What can I help you with?'], { replies: 1 }],
      [{ text: '😀👍' }, [zh ? '我只能读懂文字，看不懂单独的表情或符号。' : 'I can only read words, not emoji or symbols alone.'], { replies: 1 }],
      [{ attachments: [{ contentType: 'image/png', contentUrl: 'https://example.com/sticker.png' }] }, [zh ? '收到您的文件啦！不过我只能读懂文字' : 'Thanks for the file! I can only read text here'], { replies: 1 }],
      [(zh ? '我的订单' : 'my order ').repeat(2500).slice(0, 10_000), [zh ? '您的账户中还没有订单。' : "I couldn't find any orders in your account."], { replies: 1, absent: [sorry] }],
    ]);
  });

  test('when the customer asks for help in the middle of a dialog, then the hint comes and the same question is asked again', async () => {
    await chat.play([
      [zh ? '我要投诉' : 'I want to make a complaint', [...root.complaintType], { buttons: [...root.complaintTypes], dialog: 'kefu.complaint' }],
      [
        zh ? '帮助' : 'help',
        [zh ? '您可以回答上面的问题；输入“取消”结束当前操作，“主菜单”重新开始，“转人工”联系人工客服。刚才的问题是：' : 'You can answer the question above, type "cancel" to stop, "menu" to start over, or "talk to a person" for an agent. Here is the question again:', ...root.complaintType],
        { replies: 2, buttons: [...root.complaintTypes], dialog: 'kefu.complaint' },
      ],
    ]);
  });

  test('when the customer cancels in the middle of a dialog, then it stops and nothing is opened', async () => {
    await chat.play([
      [zh ? '我要投诉' : 'I want to make a complaint', [...root.complaintType], { dialog: 'kefu.complaint' }],
      [zh ? '取消' : 'cancel', [zh ? '好的，已为您取消当前操作，没有做任何更改。' : "OK, I've stopped that. Nothing was changed."], { replies: 1, dialog: null }],
    ]);
    expect(await env.db.ticket.count({ where: { conversationId: chat.who.conversationId } })).toBe(0);
  });

  test('when the customer starts over in the middle of a dialog, then the welcome menu comes back', async () => {
    await chat.play([
      [zh ? '我要投诉' : 'I want to make a complaint', [...root.complaintType], { dialog: 'kefu.complaint' }],
      [zh ? '重新开始' : 'start over', [...WELCOME[locale]], { replies: 3, buttons: [...root.menu], dialog: null }],
    ]);
  });

  test('when a verified customer asks for a person in the middle of a dialog, then a consultation ticket is opened and its number and due time told honestly; asking again opens no second one', async () => {
    const replies = await chat.play([
      [zh ? '我要投诉' : 'I want to make a complaint', [...root.complaintType], { dialog: 'kefu.complaint' }],
      [
        zh ? '我要转人工' : 'can I talk to a person',
        zh ? ['现在没有在线的人工客服。我已为您创建工单 T20261126', '客服最晚会在 2026年11月27日 10:00 前在本对话中回复您。'] : ["no agent is online right now. I've opened ticket T20261126", 'an agent will reply in this chat by Nov 27, 2026, 10:00 at the latest.'],
        { replies: 1, dialog: null },
      ],
      [zh ? '转人工' : 'agent', zh ? ['您的工单 T20261126', '已在人工客服处理中，最晚会在 2026年11月27日 10:00 前在本对话中回复您。'] : ['Your ticket T20261126', 'is already with our team; an agent will reply in this chat by Nov 27, 2026, 10:00 at the latest.'], { replies: 1 }],
    ]);
    const tickets = await env.db.ticket.findMany({ where: { conversationId: chat.who.conversationId } });
    expect(tickets).toEqual([expect.objectContaining({ category: 'consultation', status: 'NEW', customerId: chat.who.customerId, dueAt: new Date('2026-11-27T10:00:00+08:00') })]);
    expect(replies[1][0].text).toContain(tickets[0].number);
    expect(replies[2][0].text).toContain(tickets[0].number);
  });

  test('when a long message asks for a person in so many words, then it goes to a person even if the rest reads as small talk', async () => {
    const fresh = await env.chat({ locale });
    await fresh.play([
      [
        zh ? '你好呀 今天天气不错 问你个事 你们这个羽绒服有没有大码的 算了你还是帮我转人工客服吧' : 'hey, hope you are having a nice day, talk to a person please, do you have this jacket in XL',
        zh ? ['现在没有在线的人工客服。我已为您创建工单 T20261126'] : ["no agent is online right now. I've opened ticket T20261126"],
        { replies: 1, dialog: null },
      ],
    ]);
    const tickets = await env.db.ticket.findMany({ where: { conversationId: fresh.who.conversationId } });
    expect(tickets).toEqual([expect.objectContaining({ category: 'consultation' })]);
  });

  test('when a customer who is not signed in asks for a person and nobody is online, then they may leave the question (a phone number optional), and a consultation ticket holds it', async () => {
    const anonymous = await env.chat({ locale, verified: false });
    await anonymous.play([
      [
        zh ? '转人工' : 'talk to a person',
        [zh ? '您可以把问题留给我们：人工客服会在这个对话里回复您。如果希望电话回复，请留下手机号' : 'You can leave your question with us: an agent will reply in this chat. If you would rather have a call, leave a phone number'],
        { replies: 1, buttons: [zh ? '不用留电话' : 'No phone number'], dialog: 'kefu.human' },
      ],
      [zh ? '不用留电话' : 'No phone number', [zh ? '已为您创建工单 T' : 'I have opened ticket T'], { replies: 1, dialog: null }],
    ]);
    const tickets = await env.db.ticket.findMany({ where: { customerId: anonymous.who.customerId } });
    expect(tickets).toEqual([expect.objectContaining({ category: 'consultation', contactPhone: null })]);
  });
});

describe('a language named in the request', () => {
  test.each<[Locale, string, string, Locale]>([
    ['en-US', 'C1030', 'switch to Chinese', 'zh-CN'],
    ['zh-CN', 'C1003', '说英文', 'en-US'],
    ['zh-CN', 'C1003', 'English', 'en-US'],
  ])('(%s) when the customer says "%s", then the bot switches at once, says so in that language and keeps it on their record', async (locale, shopId, text, chosen) => {
    const chat = await env.chat({ locale, shopId });
    expect(await chat.texts(text)).toEqual([i18n.t(chosen, 'account.language.saved')]);
    expect(await env.db.customer.findUnique({ where: { id: chat.who.customerId }, select: { locale: true } })).toEqual({ locale: chosen });
  });
});
