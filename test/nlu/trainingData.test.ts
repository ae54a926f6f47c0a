import path from 'node:path';
import { readdirSync } from 'node:fs';
import { intentsFile, loadEvaluationSet, loadExamples, loadTrainingData } from '../../src/nlu/trainingData';
import { INTENTS, type Locale } from '../../src/nlu/types';

const LOCALES: Locale[] = ['zh-CN', 'en-US'];
const heldoutFile = (locale: Locale) => path.join(__dirname, `heldout.${locale}.json`);
const key = (s: string) => s.trim().toLowerCase();

describe.each(LOCALES)('%s NLU data', (locale) => {
  const training = loadTrainingData(locale);
  const heldout = loadExamples(heldoutFile(locale));

  test('when the training data is loaded, then every intent has at least 40 utterances', () => {
    for (const intent of INTENTS) expect([intent, training.filter((e) => e.intent === intent).length >= 40]).toEqual([intent, true]);
  });

  test('when the held-out set is loaded, then every intent has at least 15 messages', () => {
    for (const intent of INTENTS) expect([intent, heldout.filter((e) => e.intent === intent).length >= 15]).toEqual([intent, true]);
  });

  test('when held-out messages are compared with the training data, then none appears verbatim', () => {
    const trained = new Set(training.map((e) => key(e.text)));
    expect(heldout.filter((e) => trained.has(key(e.text))).map((e) => e.text)).toEqual([]);
    const evalDir = path.join(__dirname, 'eval');
    const sets = readdirSync(evalDir).map((f) => loadEvaluationSet(path.join(evalDir, f))).filter((set) => set.locale === locale);
    expect(sets.length).toBeGreaterThan(0);
    expect(sets.flatMap((set) => set.examples).filter((e) => trained.has(key(e.text))).map((e) => e.text)).toEqual([]);
    // The trained model reads only locales/<locale>/nlu/intents.json.
    expect(intentsFile(locale)).toContain(path.join('locales', locale, 'nlu', 'intents.json'));
  });

  test('when the training data is loaded, then it has no duplicate utterances', () => {
    const seen = new Set<string>();
    const dupes = training.filter((e) => (seen.has(key(e.text)) ? true : (seen.add(key(e.text)), false)));
    expect(dupes.map((e) => e.text)).toEqual([]);
  });
});
