import type { Locale } from '../../src/config/locales';
import { PROVIDERS } from '../support/db';
import { SurveyTestBot } from './support';

/*
 * On a channel with buttons (the Bot Framework Emulator's), with the 0-10 question switched on
 * (SURVEYS_NPS=true): the scale comes as five labelled buttons, then 0-10 as eleven buttons, then the
 * comment with a Skip button.
 */
describe.each(PROVIDERS)('the survey with buttons and the 0-10 question on %s', (provider) => {
  const bot = new SurveyTestBot(provider, { SURVEYS_NPS: 'true' });
  beforeAll(() => bot.start(), 60_000);
  afterAll(() => bot.stop());

  /** Posts a message on the emulator channel; returns the replies' texts and their buttons. */
  const say = async (conversationId: string, text: string, locale: Locale) => {
    const before = bot.listener.for(conversationId).length;
    await bot.post('/api/messages', { ...bot.activity({ text, locale, conversationId }), channelId: 'emulator' });
    return bot.listener.for(conversationId).slice(before).map((r) => ({ text: r.activity.text ?? '', buttons: r.activity.suggestedActions?.actions.map((a) => a.title) ?? [] }));
  };

  test.each<[Locale, { buttons: string[]; question: string; score: string; nps: string; askNps: string; skip: string; thanks: string }]>([
    [
      'zh-CN',
      {
        question: '您对这次服务满意吗？\n\n请点击下方按钮打分（1 = 非常不满意，5 = 非常满意）。',
        buttons: ['非常不满意', '不满意', '一般', '满意', '非常满意'],
        score: '满意',
        askNps: '您有多大可能把我们推荐给朋友或同事？',
        nps: '9',
        skip: '跳过',
        thanks: '感谢您的反馈，我们会继续努力！',
      },
    ],
    [
      'en-US',
      {
        question: 'How satisfied are you with our service?\n\nTap a button below (1 = very dissatisfied, 5 = very satisfied).',
        buttons: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
        score: 'Satisfied',
        askNps: 'How likely are you to recommend us to a friend or colleague?',
        nps: '9',
        skip: 'Skip',
        thanks: 'Thank you for your feedback, it helps us get better!',
      },
    ],
  ])('(%s) when a customer taps a score, a 0-10 number and Skip, then each is asked with buttons and both numbers are stored', async (locale, t) => {
    const conversationId = `nps-${locale}`;
    await say(conversationId, locale === 'zh-CN' ? '你好' : 'hello', locale);
    const conversation = await bot.db.conversation.findFirstOrThrow({ where: { channelConversationId: conversationId } });
    await bot.module.surveys.schedule({ customerId: conversation.customerId!, conversationId: conversation.id, trigger: 'manual', causeKey: `nps-${locale}` });
    await bot.module.surveys.sendDue();
    expect(bot.listener.for(conversationId).pop()?.activity).toMatchObject({ text: t.question, suggestedActions: { actions: t.buttons.map((title) => expect.objectContaining({ title })) } });

    const afterScore = await say(conversationId, t.score, locale);
    expect(afterScore).toHaveLength(1);
    expect(afterScore[0].text).toContain(t.askNps);
    expect(afterScore[0].buttons).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    const afterNps = await say(conversationId, t.nps, locale);
    expect(afterNps).toEqual([{ text: expect.any(String), buttons: [t.skip] }]);
    expect(await say(conversationId, t.skip, locale)).toEqual([{ text: t.thanks, buttons: [] }]);
    expect(await bot.db.survey.findFirstOrThrow({ where: { conversationId: conversation.id } })).toMatchObject({ score: 4, nps: 9, comment: null, channelId: 'emulator', status: 'ANSWERED' });
  });
});
