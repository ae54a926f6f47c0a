import { extractEntities, warmUp } from '../../src/nlu/entities';
import type { Entity, EntityType, Locale } from '../../src/nlu/types';

// Thursday 2026-11-26 10:00 in Shanghai.
const NOW = new Date('2026-11-26T02:00:00Z');
const TZ = 'Asia/Shanghai';

const extract = (text: string, locale: Locale, now = NOW) => extractEntities(text, locale, now, TZ);
const ofType = (entities: Entity[], type: EntityType) => entities.filter((e) => e.type === type);
const values = (entities: Entity[], type: EntityType) => ofType(entities, type).map((e) => e.value);

beforeAll(() => warmUp(), 30_000);

describe('relative dates, resolved on the shop calendar', () => {
  test.each([
    ['昨天买的衣服', 'zh-CN', '2026-11-25'],
    ['三天前下的单', 'zh-CN', '2026-11-23'],
    ['上周二付的款', 'zh-CN', '2026-11-17'],
    ['i ordered 3 days ago', 'en-US', '2026-11-23'],
  ] as const)('when the message is "%s", then the date is %s', (text, locale, expected) => {
    expect(values(extract(text, locale), 'datetime')).toEqual([expected]);
  });

  test('when an English message says "last Tuesday" on a Thursday, then it is the most recent Tuesday (2026-11-24), not the library\'s 2026-11-17', () => {
    // recognizers-text 1.3 resolves "last Tuesday" to Tuesday of the previous calendar week
    // (2026-11-17); entities.ts overrides it to the most recent Tuesday before today, which is
    // what customers mean. 上周二 ("Tuesday of last week") keeps the library's 2026-11-17.
    const [e] = ofType(extract('I ordered last Tuesday', 'en-US'), 'datetime');
    expect(e).toMatchObject({ text: 'last Tuesday', value: '2026-11-24', subtype: 'date' });
  });

  test('when it is 01:00 on 26 Nov in Shanghai but still 25 Nov in UTC, then 昨天 is 2026-11-25', () => {
    const now = new Date('2026-11-25T17:00:00Z');
    expect(values(extract('昨天下的单', 'zh-CN', now), 'datetime')).toEqual(['2026-11-25']);
  });

  test('when a message has two dates, then both are returned in order with their offsets', () => {
    const text = '我11月20号下的单，说好11月24号到';
    const dates = ofType(extract(text, 'zh-CN'), 'datetime');
    expect(dates.map((d) => d.value)).toEqual(['2026-11-20', '2026-11-24']);
    for (const d of dates) expect(text.slice(d.start, d.end)).toBe(d.text);
    expect(values(extract('ordered on Nov 20, it was due Nov 24', 'en-US'), 'datetime')).toEqual(['2026-11-20', '2026-11-24']);
  });

  test('when a date has a time of day, then the value is an instant with the shop offset', () => {
    expect(values(extract('明天下午3点', 'zh-CN'), 'datetime')).toEqual(['2026-11-27T15:00:00+08:00']);
  });

  test('when English says "twenty five items", then it is a number 25 and not the time 20:05', () => {
    const entities = extract('I need twenty five items', 'en-US');
    expect(ofType(entities, 'datetime')).toEqual([]);
    expect(values(entities, 'number')).toEqual([25]);
  });
});

describe('money', () => {
  test('when a Chinese message has ¥199 and 199元, then both are 199 CNY (¥ is the renminbi here)', () => {
    expect(values(extract('¥199 的那件，还有个199元的', 'zh-CN'), 'money')).toEqual([
      { amount: 199, currency: 'CNY' },
      { amount: 199, currency: 'CNY' },
    ]);
  });

  test('when an English message has $20, then it is 20 USD and not also a number', () => {
    const entities = extract('it cost $20', 'en-US');
    expect(values(entities, 'money')).toEqual([{ amount: 20, currency: 'USD' }]);
    expect(ofType(entities, 'number')).toEqual([]);
  });
});

describe('phones and e-mails', () => {
  test.each([
    ['电话13812345678', 'zh-CN', '13812345678'],
    ['打我 +86 138 1234 5678', 'zh-CN', '+8613812345678'],
    ['call me at +1 415-555-0100', 'en-US', '+14155550100'],
  ] as const)('when the message is "%s", then the phone is %s', (text, locale, expected) => {
    const entities = extract(text, locale);
    expect(values(entities, 'phone')).toEqual([expected]);
    expect(ofType(entities, 'number')).toEqual([]);
  });

  test('when a message has an e-mail address, then it is returned in lower case', () => {
    expect(values(extract('我的邮箱是 Wang.Li@Example.COM 谢谢', 'zh-CN'), 'email')).toEqual(['wang.li@example.com']);
  });
});

describe('yes / no', () => {
  test.each([
    ['好的', 'zh-CN', true],
    ['可以', 'zh-CN', true],
    ['不要', 'zh-CN', false],
    ['没有', 'zh-CN', false],
    ['yes', 'en-US', true],
    ['nope', 'en-US', false],
  ] as const)('when the reply is "%s", then the boolean is %s', (text, locale, expected) => {
    expect(values(extract(text, locale), 'boolean')).toEqual([expected]);
  });

  test('when 没有 is inside a longer sentence, then it is not a "no"', () => {
    expect(ofType(extract('我一直没有收到货', 'zh-CN'), 'boolean')).toEqual([]);
  });
});

describe('shop identifiers', () => {
  test('when an order number sits next to a phone number, then one order_number and one phone and no stray number', () => {
    const entities = extract('订单KF202611250042 电话13812345678', 'zh-CN');
    expect(entities.map((e) => [e.type, e.value])).toEqual([
      ['order_number', 'KF202611250042'],
      ['phone', '13812345678'],
    ]);
  });

  test('when an order number is written in lower case, then the value is upper case', () => {
    const [e] = extract('where is kf202611250042', 'en-US');
    expect(e).toMatchObject({ type: 'order_number', text: 'kf202611250042', value: 'KF202611250042', start: 9, end: 23 });
  });

  test('when a message has a ticket number, then it is a ticket_number and not a phone or number', () => {
    expect(extract('工单T202611260001有进展吗', 'zh-CN').map((e) => [e.type, e.value])).toEqual([['ticket_number', 'T202611260001']]);
  });
});

describe('ordinals and numbers', () => {
  test('when the customer picks "the second one" / 第二个, then the ordinal is 2', () => {
    expect(extract('the second one', 'en-US').map((e) => [e.type, e.value])).toEqual([['ordinal', 2]]);
    expect(extract('第二个', 'zh-CN').map((e) => [e.type, e.value])).toEqual([['ordinal', 2]]);
  });
});

describe('no entity', () => {
  test.each([
    ['你好', 'zh-CN'],
    ['where is my order', 'en-US'],
    ['', 'zh-CN'],
  ] as const)('when the message is "%s", then there are no entities', (text, locale) => {
    expect(extract(text, locale)).toEqual([]);
  });
});
