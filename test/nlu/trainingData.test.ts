import path from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { intentsFile, loadEvaluationSet, loadExamples, loadTrainingData } from '../../src/nlu/trainingData';
import { INTENTS, type Locale } from '../../src/nlu/types';

const LOCALES: Locale[] = ['zh-CN', 'en-US'];
const heldoutFile = (locale: Locale) => path.join(__dirname, `heldout.${locale}.json`);
const key = (s: string) => s.trim().toLowerCase();
/** Case and punctuation ignored: "How are you?" is the line "how are you". */
const bare = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N} ]/gu, '').replace(/\s+/g, ' ').trim();
const EXTERNAL_DIR = process.env.NLU_EXTERNAL_DIR ?? path.join(__dirname, 'external');
/** The corpora's sets (test/nlu/external/ and its dev/), when this machine has them: they are outside git. */
const externalFiles = (): string[] =>
  [EXTERNAL_DIR, path.join(EXTERNAL_DIR, 'dev')].filter((dir) => existsSync(dir)).flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f)));

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

  test('when the corpora\'s evaluation and development sets are present, then no training line equals one of their lines', () => {
    const trained = new Set(training.map((e) => bare(e.text)));
    const lines = externalFiles().map((f) => loadEvaluationSet(f)).filter((set) => set.locale === locale).flatMap((set) => set.examples);
    expect(lines.filter((e) => trained.has(bare(e.text))).length).toBe(0);
  });

  test('when the training data is loaded, then it has no duplicate utterances', () => {
    const seen = new Set<string>();
    const dupes = training.filter((e) => (seen.has(key(e.text)) ? true : (seen.add(key(e.text)), false)));
    expect(dupes.map((e) => e.text)).toEqual([]);
  });
});
