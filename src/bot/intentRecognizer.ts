import type { Locale } from '../config/config';
import type { I18n } from '../i18n/i18n';

/** What the main dialog needs from language understanding. */
export interface IntentResult {
  intent: string;
  score: number;
}

export interface IntentRecognizer {
  recognize(text: string, locale: Locale): Promise<IntentResult>;
}

/**
 * Keyword matching on the locale files' `<file>.keywords.<intent>` lists: the foundation's recognizer,
 * enough for greetings and commands. The trained recognizer (src/nlu) replaces it.
 */
export class KeywordRecognizer implements IntentRecognizer {
  private readonly table: { intent: string; keyword: string }[];

  constructor(i18n: I18n, locales: readonly Locale[]) {
    const seen = new Set<string>();
    this.table = [];
    for (const locale of locales) {
      // Any locale file may contribute keywords: "<file>.keywords.<intent>": [...]
      for (const key of i18n.keys(locale).filter((k) => /^\w+\.keywords\.\w+$/.test(k))) {
        const intent = key.split('.')[2];
        for (const keyword of i18n.list(locale, key)) {
          const id = `${intent}\u0000${keyword.toLowerCase()}`;
          if (!seen.has(id)) {
            seen.add(id);
            this.table.push({ intent, keyword: keyword.toLowerCase() });
          }
        }
      }
    }
    // Longest keywords first, so "change language" beats "hi" inside "chinese".
    this.table.sort((a, b) => b.keyword.length - a.keyword.length);
  }

  async recognize(text: string): Promise<IntentResult> {
    const lower = text.toLowerCase();
    const hit = this.table.find(({ keyword }) => (/^[a-z ]+$/.test(keyword) ? new RegExp(`\\b${keyword}\\b`).test(lower) : lower.includes(keyword)));
    return hit ? { intent: hit.intent, score: 1 } : { intent: 'none', score: 0 };
  }
}
