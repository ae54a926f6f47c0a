import type { Locale } from '../../src/config/locales';
import { sh } from '../support/clock';
import { PROVIDERS } from '../support/db';
import { order } from '../segments/support';
import { SurveyTestBot, type Conversation, type SurveyTurn } from './support';

/*
 * Follow-up visits (回访) as surveys over the real app (channel "test": numbered text instead of
 * buttons): an order delivered CARE_FOLLOWUP_DAYS (3) ago gets the handbooks' longer form in the
 * customer's latest conversation, instead of the care follow-up message. The app's clock is
 * Thursday 2026-11-26 10:00 in Shanghai; the follow-up job is run by hand.
 */
const DAY = 86_400_000;
const INTRO = { 'zh-CN': '这是我们的售后回访：共 4 个小问题', 'en-US': 'this is our after-sales follow-up: 4 short questions' };
const Q = {
  'zh-CN': ['（1/4）您对我们的服务体验满意吗？', '（2/4）您对收到的商品质量满意吗？', '（3/4）您觉得商品价格合理吗？', '（4/4）总体来说，您对这次购物满意吗？'],
  'en-US': ['(1/4) How satisfied are you with our service?', '(2/4) How satisfied are you with the quality', '(3/4) How fair do you find the price?', '(4/4) All in all, how satisfied are you with this purchase?'],
};
const SCALE = { 'zh-CN': ['1. 非常不满意', '5. 非常满意'], 'en-US': ['1. Very dissatisfied', '5. Very satisfied'] };
const ASK_COMMENT = { 'zh-CN': '谢谢您的评分！还有什么想对我们说的吗？', 'en-US': "Thanks for your rating! Anything else you'd like to tell us?" };
const THANKS = { 'zh-CN': '感谢您的反馈', 'en-US': 'Thank you for your feedback' };

describe.each(PROVIDERS)('follow-up visits as surveys on %s', (provider) => {
  const bot = new SurveyTestBot(provider, { SURVEYS_ON_FOLLOWUP_VISIT: 'true' });
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());
  beforeEach(() => bot.clock.set(sh('2026-11-26T10:00:00')));

  const plan = () => bot.module.followUps.plan(bot.clock.current);
  const delivered = async (chat: Conversation, daysAgo = 3) => {
    const at = new Date(bot.clock.current.getTime() - daysAgo * DAY - 3_600_000);
    return order(bot.db, chat.customerId, new Date(at.getTime() - 2 * DAY), 199, { status: 'DELIVERED', deliveredAt: at });
  };
  const visit = async (chat: Conversation) => {
    const before = bot.listener.for(chat.channelId).length;
    await bot.app.features.segments.care.run(bot.clock.current); // plans no care follow-up: the survey is the visit
    await plan();
    await plan();
    await bot.module.surveys.sendDue();
    await bot.module.surveys.sendDue();
    return bot.listener.texts(chat.channelId).slice(before);
  };

  test.each<[Locale, SurveyTurn[], string, { serviceScore: number; productScore: number; priceScore: number; score: number }]>([
    [
      'zh-CN',
      [
        ['五星', [Q['zh-CN'][1], ...SCALE['zh-CN']], { replies: 1, absent: [INTRO['zh-CN']] }],
        ['4分', [Q['zh-CN'][2]], { replies: 1 }],
        ['一般', [Q['zh-CN'][3]], { replies: 1 }],
        ['很满意', [ASK_COMMENT['zh-CN']], { replies: 1 }],
        ['跳过', [THANKS['zh-CN']], { replies: 1 }],
      ],
      '我的订单到哪了',
      { serviceScore: 5, productScore: 4, priceScore: 3, score: 5 },
    ],
    [
      'en-US',
      [
        ['great', [Q['en-US'][1], ...SCALE['en-US']], { replies: 1, absent: [INTRO['en-US']] }],
        ['terrible', [Q['en-US'][2]], { replies: 1 }],
        ['2', [Q['en-US'][3]], { replies: 1 }],
        ['4 stars', [ASK_COMMENT['en-US']], { replies: 1 }],
        ['Skip', [THANKS['en-US']], { replies: 1 }],
      ],
      'where is my order?',
      { serviceScore: 5, productScore: 1, priceScore: 2, score: 4 },
    ],
  ])('(%s) when an order was delivered 3 days ago, then one follow-up visit asks the four questions in turn, and each answer is stored in its place', async (locale, turns, other, scores) => {
    const chat = await bot.conversation(locale);
    const o = await delivered(chat);
    const read = await visit(chat);
    expect(read).toHaveLength(1);
    for (const part of [o.number, INTRO[locale], Q[locale][0], ...SCALE[locale]]) expect(read[0]).toContain(part);
    // Not an answer: the bot answers it, and the visit waits at its question.
    const answer = await chat.say(other);
    expect(answer.join('\n')).not.toContain(Q[locale][1]);
    expect(await chat.survey()).toMatchObject({ status: 'SENT', stage: 'service', serviceScore: null });
    await chat.play(turns);
    expect(await chat.survey()).toMatchObject({ trigger: 'followup_visit', orderId: o.id, status: 'ANSWERED', stage: 'done', locale, channelId: 'test', answeredAt: bot.clock.current, ...scores });
    // Answered once: another rating is an ordinary message.
    await chat.play([['5', [], { absent: [ASK_COMMENT[locale], Q[locale][1]] }]]);
    expect(await chat.survey()).toMatchObject(scores);
    expect(await bot.db.careMessage.count({ where: { customerId: chat.customerId } })).toBe(0);
  });

  test('when the overall score is low, then the follow-up complaint ticket is opened as for any survey', async () => {
    const chat = await bot.conversation('zh-CN');
    await delivered(chat);
    await visit(chat);
    await chat.play([['3', [Q['zh-CN'][1]]], ['3', [Q['zh-CN'][2]]], ['3', [Q['zh-CN'][3]]], ['差评', ['我们已登记回访工单 T20261126', ASK_COMMENT['zh-CN']], { replies: 2 }]]);
    const survey = await chat.survey();
    expect(survey).toMatchObject({ score: 1, serviceScore: 3, productScore: 3, priceScore: 3 });
    expect(await bot.db.ticket.findUniqueOrThrow({ where: { id: survey.followUpTicketId! } })).toMatchObject({ category: 'complaint', priority: 'high' });
  });

  test('when a customer was surveyed less than 7 days ago, then the visit is skipped as capped; one who opted out gets none; an order delivered 1 day ago is not visited yet', async () => {
    const capped = await bot.conversation('zh-CN');
    expect(await capped.offer()).toHaveLength(1);
    await delivered(capped);
    const optedOut = await bot.conversation('en-US');
    await optedOut.play([['stop surveys please', ["we won't send you any more satisfaction surveys"], { replies: 1 }]]);
    await delivered(optedOut);
    const early = await bot.conversation('zh-CN');
    await delivered(early, 1);
    expect(await visit(capped)).toEqual([]);
    expect((await capped.surveys()).map((s) => [s.trigger, s.status, s.skipReason])).toEqual([['manual', 'SENT', null], ['followup_visit', 'SKIPPED', 'capped']]);
    expect((await optedOut.surveys()).map((s) => [s.trigger, s.status, s.skipReason])).toEqual([['followup_visit', 'SKIPPED', 'opted_out']]);
    expect(await early.surveys()).toEqual([]);
  });
});

describe.each(PROVIDERS)('follow-up visit, short form and switched off, on %s', (provider) => {
  const short = new SurveyTestBot(provider, { SURVEYS_ON_FOLLOWUP_VISIT: 'true', SURVEYS_FOLLOWUP_FORM: 'short' });
  const off = new SurveyTestBot(provider);
  beforeAll(async () => {
    await short.start();
    await off.start();
  }, 90_000);
  afterAll(async () => {
    await short.stop();
    await off.stop();
  });

  test('when the short form is configured, then the visit is the one CSAT question naming the order', async () => {
    short.clock.set(sh('2026-11-26T10:00:00'));
    const chat = await short.conversation('en-US');
    const at = new Date(short.clock.current.getTime() - 3 * DAY - 3_600_000);
    const o = await order(short.db, chat.customerId, at, 99, { status: 'DELIVERED', deliveredAt: at });
    await short.module.followUps.plan(short.clock.current);
    await short.module.surveys.sendDue();
    const read = short.listener.texts(chat.channelId).at(-1)!;
    expect(read).toContain(`Your order ${o.number} was delivered a few days ago`);
    expect(read).toContain('How satisfied are you with this purchase?');
    await chat.play([['4', [ASK_COMMENT['en-US']], { replies: 1 }]]);
    expect(await chat.survey()).toMatchObject({ trigger: 'followup_visit', score: 4, serviceScore: null, stage: 'comment' });
  });

  test('when follow-up visits as surveys are off (the default), then the care follow-up message is the visit and no survey job looks at deliveries', async () => {
    off.clock.set(sh('2026-11-26T10:00:00'));
    expect(off.module.jobs?.map((j) => j.name)).not.toContain('surveys.followup');
    expect(short.module.jobs?.map((j) => j.name)).toContain('surveys.followup');
    const chat = await off.conversation('zh-CN');
    const at = new Date(off.clock.current.getTime() - 3 * DAY - 3_600_000);
    await order(off.db, chat.customerId, at, 99, { status: 'DELIVERED', deliveredAt: at });
    await off.app.features.segments.care.run(off.clock.current);
    expect(await off.db.careMessage.findMany({ where: { customerId: chat.customerId } })).toMatchObject([{ kind: 'followup', status: 'SENT' }]);
    expect(await chat.surveys()).toEqual([]);
  });
});
