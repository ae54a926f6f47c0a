import { detectLanguage } from '../../src/nlu/languageDetect';

describe('language detection', () => {
  test.each([
    ['我的订单到哪了', 'en-US', 'zh-CN'],
    ['我的order到哪了', 'en-US', 'zh-CN'],
    ['where is my order', 'zh-CN', 'en-US'],
    ['refnd pls', 'zh-CN', 'en-US'],
    ['I bought the 手机 last week and it broke', 'zh-CN', 'en-US'],
  ] as const)('when the message is "%s" (hint %s), then it is %s', (text, hint, expected) => {
    expect(detectLanguage(text, hint)).toBe(expected);
  });

  test.each([['13812345678'], ['😀👍'], ['KF202611250042'], ['???'], ['']])(
    'when the message "%s" has no language, then the hint is used, else zh-CN',
    (text) => {
      expect(detectLanguage(text, 'en-US')).toBe('en-US');
      expect(detectLanguage(text, 'zh-CN')).toBe('zh-CN');
      expect(detectLanguage(text)).toBe('zh-CN');
    },
  );
});

describe('language detection on single letters', () => {
  test('when a Chinese conversation gets a lone Latin letter, then it stays Chinese', () => {
    expect(detectLanguage('x', 'zh-CN')).toBe('zh-CN');
    expect(detectLanguage('A', 'zh-CN')).toBe('zh-CN');
    expect(detectLanguage('b', 'en-US')).toBe('en-US');
  });
});
