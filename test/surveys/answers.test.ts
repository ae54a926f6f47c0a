import { SurveyAnswers } from '../../src/features/surveys/answers';
import { I18n } from '../../src/i18n/i18n';

const answers = new SurveyAnswers(new I18n());

describe('typed survey answers', () => {
  test.each<[string, number]>([
    // digits, numerals, units, stars, emoji
    ['5', 5], ['１', 1], ['五星', 5], ['五分', 5], ['4分', 4], ['给3分', 3], ['两星', 2], ['五星好评', 5], ['4/5', 4], ['3 stars', 3], ["I'd give it 4", 4], ['⭐⭐⭐⭐', 4], ['👍', 5], ['👎', 2], ['😡😡', 1],
    // a particle after the score, stars as phones send them (with a variation selector), a score out of ten
    ['4分吧', 4], ['给5分吧', 5], ['⭐️⭐️⭐️⭐️⭐️', 5], ['10/10', 5], ['8 out of 10', 4], ['2/10', 1],
    // Chinese words, with negations and intensifiers
    ['很满意', 5], ['满意', 4], ['非常满意', 5], ['还行', 3], ['一般', 3], ['一般般吧', 3], ['差评', 1], ['不满意', 2], ['不太满意', 2], ['不是很满意', 2], ['非常不满意', 1], ['太差了', 1], ['服务态度很好！', 4], ['客服态度非常好', 5], ['还不错哦', 4],
    // traditional characters (Hong Kong, Taiwan)
    ['很滿意', 5], ['非常不滿意', 1], ['還行', 3], ['差評', 1], ['服務態度很好', 4], ['五星好評', 5],
    // English words, with negations and intensifiers
    ['great', 5], ['Great!', 5], ['meh', 3], ['terrible', 1], ['Very satisfied', 5], ['Dissatisfied', 2], ['not bad', 3], ['not good', 2], ['not very good', 2], ['really bad', 1], ['It was OK', 3], ['pretty good', 4], ['very good, thanks', 5],
  ])('when a customer answers "%s", then the score is %i', (text, score) => {
    expect(answers.score(text)).toBe(score);
  });

  test.each([['我的订单到哪了'], ['物流太慢了，我想查一下我的订单到哪了'], ['where is my order'], ['I want to return a bad charger I bought last week'], ['6'], ['0'], ['好的'], ['谢谢'], ['thanks'], ['🎁']])(
    'when a customer writes "%s", then it is not a rating',
    (text) => {
      expect(answers.score(text)).toBeUndefined();
    },
  );

  test.each<[string, number | undefined]>([['10', 10], ['0', 0], ['十分', 10], ['7分', 7], ['8 points', 8], ['11', undefined], ['maybe', undefined]])('when a customer answers the 0-10 question with "%s", then it reads %p', (text, nps) => {
    expect(answers.nps(text)).toBe(nps);
  });

  test.each([['别再问了'], ['不要调查'], ['以后别再发调查了'], ['別再問了'], ['不要調查'], ['Stop surveys'], ["please don't ask me again"]])('when a customer writes "%s", then it is an opt-out', (text) => {
    expect(answers.isOptOut(text)).toBe(true);
  });

  test.each([['我不想做这个调查，但我要退货，订单KF202611230009'], ['I want to stop my order, the survey said it ships tomorrow'], ['不要发货了']])('when a customer writes "%s", then it is no opt-out', (text) => {
    expect(answers.isOptOut(text)).toBe(false);
  });

  test.each([['跳过'], ['没有了'], ['Skip'], ['no thanks']])('when a customer writes "%s" after the score, then it skips the comment', (text) => {
    expect(answers.isSkip(text)).toBe(true);
  });
});
