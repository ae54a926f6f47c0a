import type { Locale } from '../../src/config/locales';
import { sh } from '../support/clock';
import { PROVIDERS } from '../support/db';
import { SurveyTestBot, type SurveyTurn } from './support';

/*
 * The survey as the customer reads it in chat, over the real server (channel "test": no buttons, so
 * the scale comes as numbered text). The app's clock is Thursday 2026-11-26 10:00 in Shanghai.
 */
const QUESTION = {
  'zh-CN': ['您对这次服务满意吗？', '请回复数字 1-5：', '1. 非常不满意', '2. 不满意', '3. 一般', '4. 满意', '5. 非常满意'],
  'en-US': ['How satisfied are you with our service?', 'Reply with a number from 1 to 5:', '1. Very dissatisfied', '2. Dissatisfied', '3. Neutral', '4. Satisfied', '5. Very satisfied'],
};
const ASK_COMMENT = { 'zh-CN': '谢谢您的评分！还有什么想对我们说的吗？', 'en-US': "Thanks for your rating! Anything else you'd like to tell us?" };

describe.each(PROVIDERS)('surveys in chat on %s', (provider) => {
  const bot = new SurveyTestBot(provider);
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());
  beforeEach(() => bot.clock.set(sh('2026-11-26T10:00:00')));

  test.each<[Locale, SurveyTurn[], { score: number; comment: string | null }]>([
    ['zh-CN', [['很满意', [ASK_COMMENT['zh-CN']], { replies: 1 }], ['客服很耐心，发货也快', ['已收到您的意见，谢谢！'], { replies: 1 }]], { score: 5, comment: '客服很耐心，发货也快' }],
    ['zh-CN', [['3', [ASK_COMMENT['zh-CN']], { replies: 1 }], ['跳过', ['感谢您的反馈，我们会继续努力！'], { replies: 1 }]], { score: 3, comment: null }],
    ['en-US', [['great', [ASK_COMMENT['en-US']], { replies: 1 }], ['Skip', ['Thank you for your feedback, it helps us get better!'], { replies: 1 }]], { score: 5, comment: null }],
    ['en-US', [['meh', [ASK_COMMENT['en-US']], { replies: 1 }], ['The answer took a while', ['Got your comment, thank you!'], { replies: 1 }]], { score: 3, comment: 'The answer took a while' }],
  ])('(%s) when a customer rates the service in words or a number and then comments or skips, then the score and the comment are stored once', async (locale, turns, expected) => {
    const chat = await bot.conversation(locale);
    const question = await chat.offer();
    expect(question).toHaveLength(1);
    for (const line of QUESTION[locale]) expect(question[0]).toContain(line);
    await chat.play(turns);
    expect(await chat.survey()).toMatchObject({ status: 'ANSWERED', stage: 'done', trigger: 'manual', channelId: 'test', locale, customerId: chat.customerId, answeredAt: sh('2026-11-26T10:00:00'), ...expected });
  });

  test.each<[Locale, SurveyTurn[]]>([
    [
      'zh-CN',
      [
        ['差评', ['很抱歉这次没有让您满意。我们已登记回访工单 T20261126', '主管会在 48 小时内联系您。', ASK_COMMENT['zh-CN']], { replies: 2 }],
        ['等了三天都没人回复', ['已收到您的意见，谢谢！'], { replies: 1 }],
      ],
    ],
    [
      'en-US',
      [
        ['terrible', ["We're sorry we let you down this time. We've opened follow-up ticket T20261126", 'a supervisor will contact you within 48 hours.', ASK_COMMENT['en-US']], { replies: 2 }],
        ['Nobody answered for three days', ['Got your comment, thank you!'], { replies: 1 }],
      ],
    ],
  ])('(%s) when a customer gives a low score, then a high-priority complaint ticket for the supervisors holds the score and their comment, and they are told someone will contact them', async (locale, turns) => {
    const chat = await bot.conversation(locale);
    await chat.offer();
    await chat.play(turns);
    const survey = await chat.survey();
    expect(survey).toMatchObject({ score: 1, comment: turns[1][0] });
    const ticket = await bot.db.ticket.findUniqueOrThrow({ where: { id: survey.followUpTicketId! }, include: { events: true } });
    expect(ticket).toMatchObject({ category: 'complaint', priority: 'high', customerId: chat.customerId, conversationId: chat.id, dueAt: sh('2026-11-28T10:00:00') });
    expect(ticket.summary).toContain('1/5');
    expect(ticket.summary).toContain(chat.id);
    expect(ticket.events.map((e) => e.body)).toEqual(expect.arrayContaining([expect.stringContaining(turns[1][0])]));
  });

  test.each<[Locale, string, string]>([
    ['zh-CN', '我的订单到哪了', '五星'],
    ['en-US', 'where is my order?', '4'],
  ])('(%s) when a customer ignores the survey and asks something else, then the bot answers that, and the survey can still be answered later', async (locale, other, rating) => {
    const chat = await bot.conversation(locale);
    await chat.offer();
    const answer = await chat.say(other);
    expect(answer.join('\n')).not.toContain(ASK_COMMENT[locale]);
    expect(await chat.survey()).toMatchObject({ status: 'SENT', score: null });
    await chat.play([[rating, [ASK_COMMENT[locale]], { replies: 1 }]]);
    expect((await chat.survey()).score).toBe(rating === '4' ? 4 : 5);
  });

  test.each<[Locale, string]>([
    ['zh-CN', '5'],
    ['en-US', '5'],
  ])('(%s) when a survey was answered, then another rating is an ordinary message and the score stays', async (locale, again) => {
    const chat = await bot.conversation(locale);
    await chat.offer();
    await chat.play([['2', [ASK_COMMENT[locale]]], [locale === 'zh-CN' ? '跳过' : 'Skip', []]]);
    await chat.play([[again, [], { absent: [ASK_COMMENT[locale]] }]]);
    expect(await chat.survey()).toMatchObject({ score: 2 });
  });

  test.each<Locale>(['zh-CN', 'en-US'])('(%s) when the survey has expired, then a rating is an ordinary message and nothing is stored', async (locale) => {
    const chat = await bot.conversation(locale);
    await chat.offer();
    bot.clock.set(sh('2026-11-28T10:00:01')); // 48 hours and a second later
    await chat.play([['5', [], { absent: [ASK_COMMENT[locale]] }]]);
    expect(await chat.survey()).toMatchObject({ status: 'SENT', score: null });
    await bot.module.surveys.expire();
    expect((await chat.survey()).status).toBe('EXPIRED');
  });

  test.each<[Locale, string, string]>([
    ['zh-CN', '别再问了', '好的，以后不会再向您发送满意度调查。'],
    ['en-US', 'stop surveys please', "Understood, we won't send you any more satisfaction surveys."],
  ])('(%s) when a customer opts out, then it is recorded and no survey is sent to them again', async (locale, said, reads) => {
    const chat = await bot.conversation(locale);
    await chat.play([[said, [reads], { replies: 1 }]]);
    expect(await bot.db.surveyOptOut.findUnique({ where: { customerId: chat.customerId } })).toMatchObject({ text: said });
    expect(await chat.offer()).toEqual([]);
    expect(await chat.survey()).toMatchObject({ status: 'SKIPPED', skipReason: 'opted_out' });
  });

  test.each<Locale>(['zh-CN', 'en-US'])('(%s) when a customer was surveyed less than 7 days ago, then the next survey is skipped; after 7 days one is sent', async (locale) => {
    const chat = await bot.conversation(locale);
    expect(await chat.offer()).toHaveLength(1);
    bot.clock.set(sh('2026-12-03T09:59:00'));
    expect(await chat.offer()).toEqual([]);
    bot.clock.set(sh('2026-12-03T10:01:00'));
    expect(await chat.offer()).toHaveLength(1);
    expect((await chat.surveys()).map((s) => [s.status, s.skipReason])).toEqual([['SENT', null], ['SKIPPED', 'capped'], ['SENT', null]]);
  });

  test.each<Locale>(['zh-CN', 'en-US'])('(%s) when a survey is due in quiet hours, then it waits until 09:00 and is sent then', async (locale) => {
    const chat = await bot.conversation(locale);
    bot.clock.set(sh('2026-11-26T22:30:00'));
    expect(await chat.offer()).toEqual([]);
    expect(await chat.survey()).toMatchObject({ status: 'SCHEDULED', sendAfter: sh('2026-11-27T09:00:00') });
    bot.clock.set(sh('2026-11-27T09:00:00'));
    await bot.module.surveys.sendDue();
    expect(bot.listener.texts(chat.channelId).pop()).toContain(QUESTION[locale][0]);
  });

  test.each<[Locale, string, string]>([
    ['zh-CN', '语言', '中文'],
    ['en-US', 'Language', 'English'],
  ])('(%s) when a customer is in the middle of a dialog, then the survey waits and the dialog gets their answer', async (locale, start, pick) => {
    const chat = await bot.conversation(locale);
    await chat.say(start);
    expect(await chat.offer()).toEqual([]);
    expect(await chat.survey()).toMatchObject({ status: 'SCHEDULED', sendAfter: sh('2026-11-26T10:05:00') });
    const next = await chat.say(pick);
    expect(next.join('\n')).not.toContain(QUESTION[locale][0]);
    expect(await bot.db.customer.findUniqueOrThrow({ where: { id: chat.customerId } })).toMatchObject({ locale });
    bot.clock.set(sh('2026-11-26T10:05:00'));
    await bot.module.surveys.sendDue();
    expect(bot.listener.texts(chat.channelId).pop()).toContain(QUESTION[locale][0]);
  });
});
