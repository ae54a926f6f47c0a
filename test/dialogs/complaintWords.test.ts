import type { Locale } from '../../src/config/locales';
import { DialogEnv, type Turn } from './support';

/*
 * Complaints as customers make them: the kind is often in their first words ("客服态度太差"), and the
 * answer to "what is it about?" is often the story itself ("昨天打电话没人接"). Fixed clock: Thursday
 * 2026-11-26 10:00 in Shanghai, so the 48 h promise is 2026-11-28 10:00.
 */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

async function complaintOf(conversationId: string) {
  const tickets = await env.db.ticket.findMany({ where: { conversationId } });
  expect(tickets).toHaveLength(1);
  return tickets[0];
}

describe('the kind of a complaint from the customer\'s words', () => {
  test.each<[Locale, Turn[], string]>([
    [
      'zh-CN',
      [
        ['你们的客服态度太差了，我要投诉', ['非常抱歉给您带来不好的体验（服务态度）。请告诉我具体发生了什么。'], { replies: 1, absent: ['请问您要投诉哪方面'], dialog: 'kefu.complaint' }],
        ['昨天打了三次电话都没人接，在线也没人回', ['您希望我们如何处理？']],
        ['道歉', ['您的投诉已登记，工单号 T20261126', '最晚不超过 2026年11月28日 10:00'], { dialog: null }],
      ],
      '道歉',
    ],
    [
      'en-US',
      [
        ['I want to complain about your courier', ["I'm sorry about this (Delivery / logistics). Please tell me what happened."], { replies: 1, absent: ['What is your complaint about'], dialog: 'kefu.complaint' }],
        ['he threw my parcel over the fence', ['What would you like us to do about it?']],
        ['an apology', ['Your complaint is recorded as ticket T20261126', 'by Nov 28, 2026, 10:00 at the latest'], { dialog: null }],
      ],
      'an apology',
    ],
  ])('(%s) when the first message says what the complaint is about, then that kind is not asked and the ticket has it', async (locale, turns, wish) => {
    const chat = await env.chat({ locale });
    await chat.play(turns);
    const ticket = await complaintOf(chat.who.conversationId);
    expect(ticket).toMatchObject({ category: 'complaint', complaintType: locale === 'zh-CN' ? 'service_attitude' : 'logistics' });
    expect(ticket.summary).toContain(wish);
  });

  test('(zh-CN) when the complaint is written in traditional characters, then its kind is understood the same', async () => {
    const chat = await env.chat({ locale: 'zh-CN' });
    await chat.play([['客服態度太差了，我要投訴', ['非常抱歉给您带来不好的体验（服务态度）'], { absent: ['请问您要投诉哪方面'] }]]);
  });

  test.each<[Locale, Turn[]]>([
    [
      'zh-CN',
      [
        ['我要投诉', ['请问您要投诉哪方面？'], { buttons: ['商品质量', '服务态度', '物流配送', '其他'] }],
        ['昨天打电话没人接', ['您希望我们如何处理？'], { absent: ['请点击一个选项', '请告诉我具体发生了什么'] }],
        ['希望有人回电话', ['您的投诉已登记'], { dialog: null }],
      ],
    ],
    [
      'en-US',
      [
        ['I want to make a complaint', ['What is your complaint about?']],
        ['the kettle I got is broken and leaking', ['What would you like us to do about it?'], { absent: ['Please tap one of the options', 'Please tell me what happened'] }],
        ['a new one please', ['Your complaint is recorded'], { dialog: null }],
      ],
    ],
  ])('(%s) when the customer answers "what is it about?" with the story, then its kind is taken from it and the story is not asked again', async (locale, turns) => {
    const chat = await env.chat({ locale });
    await chat.play(turns);
    const ticket = await complaintOf(chat.who.conversationId);
    expect(ticket.complaintType).toBe(locale === 'zh-CN' ? 'service_attitude' : 'product_quality');
    expect(ticket.summary).toContain(locale === 'zh-CN' ? '昨天打电话没人接' : 'the kettle I got is broken and leaking');
  });

  test.each<[Locale, Turn[]]>([
    ['zh-CN', [['我要投诉', ['请问您要投诉哪方面？']], ['快递很慢，而且东西坏了', ['请点击一个选项'], { dialog: 'kefu.complaint' }]]],
    ['en-US', [['I want to make a complaint', ['What is your complaint about?']], ['your agent was rude and my parcel got lost', ['Please tap one of the options'], { dialog: 'kefu.complaint' }]]],
  ])('(%s) when the story has the words of two kinds and names none, then the customer is asked which one', async (locale, turns) => {
    await (await env.chat({ locale })).play(turns);
  });

  test('(en-US) when the story names one of the kinds, then that kind is taken and the story kept', async () => {
    const chat = await env.chat({ locale: 'en-US' });
    await chat.play([
      ['I want to make a complaint', ['What is your complaint about?']],
      ['the delivery was late and the item is broken', ['What would you like us to do about it?'], { absent: ['Please tell me what happened'] }],
      ['send a new one', ['Your complaint is recorded'], { dialog: null }],
    ]);
    const ticket = await complaintOf(chat.who.conversationId);
    expect(ticket).toMatchObject({ complaintType: 'logistics' });
    expect(ticket.summary).toContain('the delivery was late and the item is broken');
  });
});
