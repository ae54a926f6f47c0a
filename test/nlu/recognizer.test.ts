import path from 'node:path';
import { createRecognizer, LocalRecognizer, NLU_CONFIDENCE_THRESHOLD } from '../../src/nlu';
import { MAX_ENTITIES } from '../../src/nlu/entities';
import { loadExamples } from '../../src/nlu/trainingData';
import { INTENTS, type Locale, type Recognizer, type RecognizeOptions } from '../../src/nlu/types';

const NOW = new Date('2026-11-26T02:00:00Z');
const options = (locale?: Locale): RecognizeOptions => ({ locale, now: NOW, timezone: 'Asia/Shanghai' });

let recognizer: Recognizer;

beforeAll(async () => {
  recognizer = createRecognizer();
  await recognizer.init();
}, 60_000);

describe.each(['zh-CN', 'en-US'] as const)('%s held-out set', (locale) => {
  test('when every held-out message is recognized, then at least 90 % get the right intent', async () => {
    const data = loadExamples(path.join(__dirname, `heldout.${locale}.json`));
    let correct = 0;
    for (const ex of data) {
      const r = await recognizer.recognize(ex.text, options(locale));
      if (r.intent === ex.intent) correct += 1;
    }
    expect(correct / data.length).toBeGreaterThanOrEqual(0.9);
  });
});

describe('specific messages', () => {
  test.each([
    ['我的order到哪了', 'zh-CN', 'order_status'],
    ['退货', 'zh-CN', 'return_request'],
    ['人工', 'zh-CN', 'human_agent'],
    ['亲 能不能帮我把KF202611250042取消了', 'zh-CN', 'cancel_order'],
    ['wheres my oder', 'en-US', 'order_status'],
    ['refund?', 'en-US', 'return_request'],
    ['refnd pls', 'en-US', 'return_request'],
    ['i want to talk to a real person', 'en-US', 'human_agent'],
    ['thank you so much, bye', 'en-US', 'goodbye_thanks'],
    ['退款到賬了嗎', 'zh-CN', 'ticket_status'],
    ['我想換綁手機號碼', 'zh-CN', 'account_privacy'],
    ['有優惠券嗎', 'zh-CN', 'points_membership'],
    ['has my refund gone through yet', 'en-US', 'ticket_status'],
    ['are you a robot', 'en-US', 'chitchat'],
    ['call me a taxi', 'en-US', 'out_of_scope'],
  ] as const)('when the customer writes "%s", then the message is %s and the intent is %s', async (text, locale, intent) => {
    const r = await recognizer.recognize(text, options());
    expect(r.locale).toBe(locale);
    expect(r.intent).toBe(intent);
  });

  test('when a message is recognized, then intents holds the top 3 sorted and intent/score are the first', async () => {
    const r = await recognizer.recognize('我想换个大一码的', options('zh-CN'));
    expect(r.intents).toHaveLength(3);
    expect(r.intents[0]).toEqual({ intent: r.intent, score: r.score });
    for (let i = 1; i < r.intents.length; i += 1) expect(r.intents[i - 1]!.score).toBeGreaterThanOrEqual(r.intents[i]!.score);
    for (const s of r.intents) expect(INTENTS).toContain(s.intent);
  });

  test('when the message carries entities, then they come with the intent', async () => {
    const r = await recognizer.recognize('订单KF202611250042昨天还没到', options('zh-CN'));
    expect(r.intent).toBe('order_status');
    expect(r.entities.map((e) => [e.type, e.value])).toEqual([
      ['order_number', 'KF202611250042'],
      ['datetime', '2026-11-25'],
    ]);
  });

  test('when the threshold is exported, then it is a probability', () => {
    expect(NLU_CONFIDENCE_THRESHOLD).toBeGreaterThan(0);
    expect(NLU_CONFIDENCE_THRESHOLD).toBeLessThan(1);
  });
});

describe('guardrails', () => {
  test.each([[''], ['   \n\t '], ['😀👍'], ['？？！！']])('when the message is "%s", then intent none with score 0 and no entities', async (text) => {
    const r = await recognizer.recognize(text, options('en-US'));
    expect(r).toMatchObject({ intent: 'none', score: 0, entities: [], locale: 'en-US' });
  });

  test('when there is no locale hint and nothing to detect, then the locale is zh-CN', async () => {
    expect((await recognizer.recognize('😀', options())).locale).toBe('zh-CN');
  });

  test('when the message is 10 000 characters long, then it returns without throwing, quickly, with bounded entities', async () => {
    const text = '我的订单KF202611250042昨天还没到，电话13812345678，'.repeat(400).slice(0, 10_000);
    expect(text).toHaveLength(10_000);
    const started = performance.now();
    const r = await recognizer.recognize(text, options('zh-CN'));
    const elapsed = performance.now() - started;
    expect(INTENTS).toContain(r.intent);
    expect(r.text).toBe(text);
    expect(r.truncated).toBe(true);
    expect(r.entities.length).toBeLessThanOrEqual(MAX_ENTITIES);
    for (const e of r.entities) expect(e.end).toBeLessThanOrEqual(1000);
    expect(elapsed).toBeLessThan(1000); // generous: the machine is shared; the bench reports the real figure
  });

  test('when the time zone is not a valid IANA zone, then recognition still works', async () => {
    const r = await recognizer.recognize('昨天的订单', { now: NOW, timezone: 'Mars/Olympus' });
    expect(r.intent).toBe('order_status');
  });
});

describe('the NLP.js classifier (kept for comparison)', () => {
  test('when the recognizer is built with classifier nlpjs, then it trains and classifies', async () => {
    const nlpjs = new LocalRecognizer({ classifier: 'nlpjs', locales: ['en-US'], warmUpEntities: false });
    await nlpjs.init();
    const r = await nlpjs.recognize('where is my package', options('en-US'));
    expect(nlpjs.name).toBe('local:nlpjs');
    expect(r.intent).toBe('order_status');
  }, 60_000);
});
