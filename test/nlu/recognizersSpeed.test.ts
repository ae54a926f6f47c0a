import fs from 'node:fs';
import path from 'node:path';
import { StringUtility } from '@microsoft/recognizers-text';
import { buildBooleanModel, buildCurrencyModel, buildDateTimeModel, EN_TIME_HINT } from '../../src/nlu/models';

/**
 * The two speed-ups of recognizers-text must not change a single result:
 * - scripts/patch-recognizers.cjs (postinstall) short-cuts StringUtility.removeDiacriticsFromWordBoundaries;
 * - src/nlu/models.ts skips the English time-of-day extractors on text without a time hint, extracts
 *   English dates, times, durations and numbers once per text, tries only the currencies a text names,
 *   and extracts Chinese durations and dates once per text.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { patchText, MARKER } = require('../../scripts/patch-recognizers.cjs') as {
  patchText: (text: string) => { text: string; count: number; already: boolean };
  MARKER: string;
};

type Patched = typeof StringUtility & { kefuRemoveDiacriticsFromWordBoundaries?: (input: string) => string };

/** bench:nlu's source-split sets of a locale (not in git: test/nlu/external/), when present. */
function externalSets(locale: string): string[] {
  const dir = path.resolve(__dirname, 'external');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(dir, f))
    .filter((f) => (JSON.parse(fs.readFileSync(f, 'utf8')) as { locale?: string }).locale === locale);
}

describe('the diacritics short-cut (postinstall patch)', () => {
  const patched = StringUtility as Patched;

  test('when npm install has run, then the installed recognizers-text carries the patch', () => {
    expect(typeof patched.kefuRemoveDiacriticsFromWordBoundaries).toBe('function');
  });

  test.each([
    ['ASCII', 'i paid two days ago'],
    ['accented words', 'Ángel está aquí, café crème'],
    ['accents inside words only', 'naïve façade'],
    ['Chinese', '昨天下午3点买的 Ａ货'],
    ['full-width letters at word edges', 'Ａbc ｘyＺ'],
    ['empty', ''],
  ])('when the text is %s, then the result equals the original function\'s', (_label, text) => {
    const original = patched.kefuRemoveDiacriticsFromWordBoundaries!(text);
    expect(StringUtility.removeDiacriticsFromWordBoundaries(text)).toBe(original);
    // Twice (the memo) and after another text (the memo is replaced, not mixed up).
    expect(StringUtility.removeDiacriticsFromWordBoundaries(text)).toBe(original);
    StringUtility.removeDiacriticsFromWordBoundaries('Élan vital');
    expect(StringUtility.removeDiacriticsFromWordBoundaries(text)).toBe(original);
  });

  test('when the accented text changes, then the result follows it (Élan → Elan, Ôter → Oter)', () => {
    expect(StringUtility.removeDiacriticsFromWordBoundaries('Élan')).toBe('Elan');
    expect(StringUtility.removeDiacriticsFromWordBoundaries('Ôter')).toBe('Oter');
  });

  test('when the script patches a file twice, then the second run changes nothing; CRLF files keep CRLF', () => {
    const source = 'class StringUtility {\r\n    static removeDiacriticsFromWordBoundaries(input) {\r\n        return input.split(\' \');\r\n    }\r\n}\r\n';
    const once = patchText(source);
    expect(once.count).toBe(1);
    expect(once.text).toContain(MARKER);
    expect(once.text).not.toMatch(/[^\r]\n/);
    const twice = patchText(once.text);
    expect(twice).toMatchObject({ count: 0, already: true, text: once.text });
  });
});

describe('the English time-of-day gate', () => {
  const REF = new Date('2026-11-26T10:00:00');
  const root = path.resolve(__dirname, '../..');
  const messages = (file: string) => Object.values(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string[]>).flat();
  // Date and time phrases a customer writes, beyond the intent data: every shape the gate must let through.
  const phrases = [
    'tomorrow at 5', 'tomorrow 5pm', 'at 5 tomorrow', 'yesterday at noon', 'last night', 'this evening', 'in 2 hours',
    '2 hours ago', 'half past three tomorrow', 'quarter to five', 'from 3 to 5 pm on friday', 'friday 10:30',
    'next monday morning', 'monday at 9', 'the day after tomorrow', 'end of the day', 'by eod', 'right now', 'just now',
    'every monday', 'daily', 'on mondays', 'next week', 'last month', 'in 3 days', 'within 48 hours', 'since last week',
    'dec 3rd 2026', '2026-11-20', '11/20', 'nov 20 at 3', '3 days ago at 2pm', 'for 2 weeks', 'over the weekend',
    'this weekend', 'christmas eve', 'new years day', 'tonight at 8', '8 tonight', 'sunday night', 'saturday afternoon',
    'at 10 on saturday', 'between 9 and 5 tomorrow', 'before 6 today', 'after 6 pm', 'later today', 'earlier today',
    'next tuesday', 'last tuesday', 'two weeks from now', 'a week ago', 'the 5th', 'on the 5th at 3', '5th of december',
    'week after next', 'this time tomorrow', 'noon', 'midnight', 'at lunchtime', 'this morning', 'in the afternoon',
    'delivered at 17h', 'i ordered 3 days ago', 'I ordered last Tuesday', 'ordered on Nov 20, it was due Nov 24',
    'can you deliver on 12/1 between 2 and 4', 'it arrived 20 minutes ago', 'wait until 9', 'around 7 in the evening',
    '5-6pm', 'from 2 to 4', '2 to 4 tomorrow', 'any time after 3', '9 to 5', 'by 8 tomorrow', 'before 10 on monday',
    'at 3 on the 5th', 'tmrw 9am', "9 o'clock", 'in an hour', 'an hour ago', 'close of business', 'first thing tomorrow',
    'tomorrow night', 'wed 3', 'next friday 2', 'the 20th at 10', 'dec 3 9am', 'monday 9-11', 'today 14:00-16:00',
  ];
  const evalSet = (file: string) => Object.values((JSON.parse(fs.readFileSync(file, 'utf8')) as { intents: Record<string, string[]> }).intents).flat();
  const englishExternal = externalSets('en-US');
  const corpus = [
    ...messages(path.join(root, 'locales/en-US/nlu/intents.json')),
    ...messages(path.join(root, 'test/nlu/heldout.en-US.json')),
    ...evalSet(path.join(root, 'test/nlu/eval/kefu-kinds.en-US.json')),
    ...englishExternal.flatMap(evalSet),
    ...phrases,
  ];

  test('when a text has no time hint, then the gate skips the time-of-day extractors (it is not a no-op)', () => {
    expect(EN_TIME_HINT.test('i paid two days ago')).toBe(false);
    expect(EN_TIME_HINT.test('tomorrow at 5')).toBe(true);
    expect(corpus.filter((t) => !EN_TIME_HINT.test(t)).length).toBeGreaterThan(corpus.length / 2);
  });

  // The end of a month: "the 31st", "on the 30th" are dates or not depending on the reference month.
  const REF_END_OF_MONTH = new Date('2026-12-31T23:30:00');

  test(`when every English training, held-out and evaluation message (${englishExternal.length} source-split sets) and ${phrases.length} date/time phrases are parsed, twice and at two reference dates, then the gated and memoized model returns exactly the library's results`, () => {
    const library = buildDateTimeModel('en-us', { gate: false });
    const gated = buildDateTimeModel('en-us');
    expect(gated).not.toBe(library);
    const differences = corpus
      // The second parse of a text is served by the extractors' memos; the other reference date must not be.
      .flatMap((text) => [[text, REF], [text, REF], [text, REF_END_OF_MONTH]] as const)
      .map(([text, ref]) => ({ text, ref, library: JSON.stringify(library.parse(text, ref)), gated: JSON.stringify(gated.parse(text, ref)) }))
      .filter((r) => r.library !== r.gated);
    expect(differences).toEqual([]);
    // The comparison is not vacuous: plenty of the corpus has dates and times.
    expect(corpus.filter((text) => library.parse(text, REF).length > 0).length).toBeGreaterThan(phrases.length);
  });
});

describe('the yes/no gate', () => {
  const root = path.resolve(__dirname, '../..');
  const messages = (file: string) => Object.values(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string[]>).flat();
  const replies = [
    'yes', 'Yes!', 'yeah', 'yep sure', 'ok', 'OK then', 'y', 'n', 'no', 'nope', 'not ok', 'No.', 'true', 'false', 'I agree',
    'i disagree', '👍', '👍🏽', '👎', '✋', 'ok 👌', 'yes please', 'no thanks', 'English', 'language', 'not really', 'nah',
    'sure thing', 'okay', 'oki', 'yes no', 'Sí', 'Ýes', 'nó', '是', '好的', '不要', '对', '不是', '可以', 'ok好的', '行',
  ];

  test.each([
    ['en-us', 'locales/en-US/nlu/intents.json', 'test/nlu/heldout.en-US.json'],
    ['zh-cn', 'locales/zh-CN/nlu/intents.json', 'test/nlu/heldout.zh-CN.json'],
  ])('when every %s training and held-out message and short replies are parsed, then the gated model returns exactly the library\'s results', (culture, training, heldout) => {
    const library = buildBooleanModel(culture, { gate: false });
    const gated = buildBooleanModel(culture);
    const corpus = [...messages(path.join(root, training)), ...messages(path.join(root, heldout)), ...replies];
    const differences = corpus
      .map((text) => ({ text, library: JSON.stringify(library.parse(text)), gated: JSON.stringify(gated.parse(text)) }))
      .filter((r) => r.library !== r.gated);
    expect(differences).toEqual([]);
    expect(corpus.filter((text) => library.parse(text).length > 0).length).toBeGreaterThan(10);
  });
});

describe('the currency gate (only the units a text names, numbers found once)', () => {
  const root = path.resolve(__dirname, '../..');
  const messages = (file: string) => Object.values(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string[]>).flat();
  const evalSet = (file: string) => Object.values((JSON.parse(fs.readFileSync(file, 'utf8')) as { intents: Record<string, string[]> }).intents).flat();
  const amounts: Record<string, string[]> = {
    'zh-cn': [
      '199元', '￥99', '¥1,299', '100-150元', '门票50-100元', '五十块', '3块5', '两百块钱', '$20', '20美元', '1,299元', 'USD 15',
      '15欧元', '退我50块钱', '付了1,000.50元', '人民币300', '100元到200元之间', '5毛', '3元5角', '一百二十元整', '(20元)',
      '扣了我两次99元', '10英镑', '300日元', '价格是200-300元的酒店', '给房东转500块', '100 rmb', '20 usd',
    ],
    'en-us': [
      '$20', '20 dollars', 'USD 15', '€15', '15 euros', '£3.50', '1,299 yuan', '¥99', '50 bucks', '$1,000.50', 'twenty dollars',
      '5 cents', 'I was charged $19.99 twice', 'refund of 30 usd', '(20 dollars)', '3 dollars and 50 cents', 'us$5', '100 rmb',
      '10 pounds', 'a hundred and twenty euros', '$5-$10', 'between 20 and 30 dollars', '1,000 japanese yen',
    ],
  };

  test.each([
    ['zh-cn', 'zh-CN'],
    ['en-us', 'en-US'],
  ])('when every %s training, held-out and evaluation message and amounts are parsed, then the gated model returns exactly the library\'s results', (culture, locale) => {
    const library = buildCurrencyModel(culture, { gate: false });
    const gated = buildCurrencyModel(culture);
    expect(gated).not.toBe(library);
    const corpus = [
      ...messages(path.join(root, `locales/${locale}/nlu/intents.json`)),
      ...messages(path.join(root, `test/nlu/heldout.${locale}.json`)),
      ...evalSet(path.join(root, `test/nlu/eval/kefu-kinds.${locale}.json`)),
      ...(amounts[culture] ?? []),
    ];
    const differences = corpus
      .flatMap((text) => [text, text]) // the second parse of a text is served by the number extractors' memo
      .map((text) => ({ text, library: JSON.stringify(library.parse(text)), gated: JSON.stringify(gated.parse(text)) }))
      .filter((r) => r.library !== r.gated);
    expect(differences).toEqual([]);
    // Not vacuous: every amount above is money to the library.
    expect(corpus.filter((text) => library.parse(text).length > 0).length).toBeGreaterThanOrEqual(amounts[culture]?.length ?? 0);
  });
});

describe('the Chinese memos (one duration and date extraction per text)', () => {
  const REF = new Date('2026-11-26T10:00:00');
  const root = path.resolve(__dirname, '../..');
  const messages = (file: string) => Object.values(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string[]>).flat();
  const evalSet = (file: string) => Object.values((JSON.parse(fs.readFileSync(file, 'utf8')) as { intents: Record<string, string[]> }).intents).flat();
  const phrases = [
    '昨天下午3点买的', '上周二', '三天前', '过两天', '下个月初', '明天上午10点到12点', '每周一', '两个小时后', '3天后', '1小时 - 2小时',
    '半个月前', '2026年11月20日', '11月20号', '11.20', '国庆节', '刚才', '最近一周', '五分钟前', '下周三下午', '前天晚上8点半',
    '游玩时间在2小时 - 3小时', '一个半小时', '半年前买的', '等了三个星期', '10天内', '两周以后', '每隔两天', '一年半', '3个月以前',
    '30分钟后', '一天后发货', '游玩的时长是1小时、评分是4分以上', '均消费是100-150元', '2-3小时', '0.5小时 - 0.7小时之间',
  ];

  // The end of a month: day numbers are dates or not depending on the reference month.
  const REF_END_OF_MONTH = new Date('2026-12-31T23:30:00');

  test('when every Chinese training, held-out and evaluation message and date phrases are parsed, twice and at two reference dates, then the model returns exactly the library\'s results', () => {
    const library = buildDateTimeModel('zh-cn', { gate: false });
    const layered = buildDateTimeModel('zh-cn');
    expect(layered).not.toBe(library);
    const corpus = [
      ...messages(path.join(root, 'locales/zh-CN/nlu/intents.json')),
      ...messages(path.join(root, 'test/nlu/heldout.zh-CN.json')),
      ...evalSet(path.join(root, 'test/nlu/eval/kefu-kinds.zh-CN.json')),
      ...externalSets('zh-CN').flatMap(evalSet),
      ...phrases,
    ];
    const differences = corpus
      // The second parse of a text is served by the memos; the other reference date must not be.
      .flatMap((text) => [[text, REF], [text, REF], [text, REF_END_OF_MONTH]] as const)
      .map(([text, ref]) => ({ text, ref, library: JSON.stringify(library.parse(text, ref)), layered: JSON.stringify(layered.parse(text, ref)) }))
      .filter((r) => r.library !== r.layered);
    expect(differences).toEqual([]);
    // Not vacuous: plenty of the corpus has durations, dates and times.
    expect(corpus.filter((text) => /duration/.test(JSON.stringify(library.parse(text, REF)))).length).toBeGreaterThan(15);
    expect(corpus.filter((text) => library.parse(text, REF).length > 0).length).toBeGreaterThan(phrases.length);
  });
});
