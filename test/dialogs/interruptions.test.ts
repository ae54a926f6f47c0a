import type { Locale } from '../../src/config/locales';
import { DialogEnv, type Turn } from './support';

/*
 * Interruptions only when the message *is* a command: an answer that mentions a person stays in its
 * dialog; "我要转人工" on its own still reaches a person; "算了" to a yes-or-no question is its "no".
 */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

describe('answers that mention a person', () => {
  test.each<[Locale, Turn[]]>([
    [
      'zh-CN',
      [
        ['我要投诉', ['请问您要投诉哪方面？'], { dialog: 'kefu.complaint' }],
        ['商品质量', ['请告诉我具体发生了什么。']],
        ['买的充电宝充不进电… 希望找个真人打电话给我处理', ['您希望我们如何处理？'], { dialog: 'kefu.complaint', absent: ['工单'] }],
        ['我想要真人客服打电话给我，换一个新的', ['您的投诉已登记，工单号 T20261126', '48 小时内给您解决方案，最晚不超过 2026年11月28日 10:00'], { buttons: ['转人工'], dialog: null }],
      ],
    ],
    [
      'en-US',
      [
        ['I want to make a complaint', ['What is your complaint about?'], { dialog: 'kefu.complaint' }],
        ['Product quality', ['Please tell me what happened.']],
        ['the power bank will not charge, i want a real person to call me', ['What would you like us to do about it?'], { dialog: 'kefu.complaint', absent: ['ticket'] }],
        ['a human should call me and send a new one', ['Your complaint is recorded as ticket T20261126', 'within 48 hours, by Nov 28, 2026, 10:00 at the latest'], { buttons: ['Talk to a person'], dialog: null }],
      ],
    ],
  ])('(%s) when a complaint answer asks for a real person, then the complaint is kept with its 48 h deadline and a person is offered with it', async (locale, turns) => {
    const chat = await env.chat({ locale });
    await chat.play(turns);
    const tickets = await env.db.ticket.findMany({ where: { conversationId: chat.who.conversationId } });
    expect(tickets).toEqual([expect.objectContaining({ category: 'complaint', dueAt: new Date('2026-11-28T10:00:00+08:00') })]);
    expect(tickets[0].summary).toContain(locale === 'zh-CN' ? '充电宝充不进电' : 'power bank will not charge');
  });

  test.each<[Locale, Turn[]]>([
    [
      'zh-CN',
      [
        ['我要投诉', ['请问您要投诉哪方面？'], { dialog: 'kefu.complaint' }],
        ['我要转人工', ['我已为您创建工单 T20261126'], { dialog: null }],
      ],
    ],
    [
      'en-US',
      [
        ['I want to make a complaint', ['What is your complaint about?'], { dialog: 'kefu.complaint' }],
        ['can I talk to a person please', ["I've opened ticket T20261126"], { dialog: null }],
      ],
    ],
  ])('(%s) when the whole message asks for a person in the middle of a dialog, then it still reaches a person', async (locale, turns) => {
    const chat = await env.chat({ locale });
    await chat.play(turns);
    expect(await env.db.ticket.findMany({ where: { conversationId: chat.who.conversationId } })).toEqual([expect.objectContaining({ category: 'consultation' })]);
  });
});

describe('commands written in traditional characters', () => {
  test('(zh-CN) when the customer types 轉人工 in the middle of a complaint, then it reaches a person as 转人工 does', async () => {
    const chat = await env.chat({ locale: 'zh-CN' });
    await chat.play([
      ['我要投诉', ['请问您要投诉哪方面？'], { dialog: 'kefu.complaint' }],
      ['轉人工', ['我已为您创建工单 T20261126'], { dialog: null }],
    ]);
    expect(await env.db.ticket.findMany({ where: { conversationId: chat.who.conversationId } })).toEqual([expect.objectContaining({ category: 'consultation' })]);
  });
});
