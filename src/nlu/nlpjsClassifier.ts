import { containerBootstrap } from '@nlpjs/core';
import { Nlp } from '@nlpjs/nlp';
import { LangEn } from '@nlpjs/lang-en';
import { LangZh } from '@nlpjs/lang-zh';
import zhDictionary from '@nlpjs/lang-zh/src/dictionary';
import { hasNoContent } from './normalize';
import type { Example } from './trainingData';
import { INTENTS, isIntent, type IntentScore, type Locale } from './types';

const NLP_LANG: Record<Locale, string> = { 'zh-CN': 'zh', 'en-US': 'en' };

/**
 * @nlpjs/lang-zh compiles its CC-CEDICT dictionary (~1.8 s) on first use and announces it with an
 * unconditional console.log('Compiling dictionary'), which would corrupt the JSON-lines output of
 * the staff CLI. Load it up front with console.log muted for just that call.
 */
function loadZhDictionary(): void {
  if (zhDictionary.cedict) return;
  /* eslint-disable no-console -- not logging: this silences the library's own console.log for one call */
  const original = console.log;
  console.log = () => undefined;
  try {
    zhDictionary.start();
  } finally {
    console.log = original;
  }
  /* eslint-enable no-console */
}

/** NLP.js (neural classifier per language, zh stemmed to pinyin by lang-zh). */
export class NlpjsClassifier {
  private nlp: Nlp | undefined;

  async train(data: Partial<Record<Locale, Example[]>>): Promise<void> {
    const locales = Object.keys(data).filter((l): l is Locale => l === 'zh-CN' || l === 'en-US');
    if (locales.includes('zh-CN')) loadZhDictionary();
    const container = await containerBootstrap();
    container.use(Nlp);
    container.use(LangZh);
    container.use(LangEn);
    const nlp = new Nlp(
      {
        languages: locales.map((l) => NLP_LANG[l]),
        autoSave: false,
        autoLoad: false,
        calculateSentiment: false,
        nlu: { log: false },
      },
      container,
    );
    for (const locale of locales) {
      // NLP.js warns on stderr about utterances without words ("???"); the n-gram model keeps them.
      for (const ex of data[locale] ?? []) {
        if (!hasNoContent(ex.text)) nlp.addDocument(NLP_LANG[locale], ex.text, ex.intent);
      }
    }
    await nlp.train();
    this.nlp = nlp;
  }

  /** All intents with scores, sorted descending. `text` must already be normalized. */
  async classify(locale: Locale, text: string): Promise<IntentScore[]> {
    if (!this.nlp) throw new Error('NlpjsClassifier used before train()');
    const result = await this.nlp.process(NLP_LANG[locale], text);
    const scores = new Map<string, number>();
    for (const c of result.classifications ?? []) {
      const intent = c.intent === 'None' ? 'none' : c.intent;
      if (isIntent(intent)) scores.set(intent, Math.max(scores.get(intent) ?? 0, c.score));
    }
    if (result.intent === 'None') scores.set('none', Math.max(scores.get('none') ?? 0, result.score));
    return INTENTS.map((intent) => ({ intent, score: scores.get(intent) ?? 0 })).sort((a, b) => b.score - a.score);
  }
}
