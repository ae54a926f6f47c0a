// Minimal typings for the parts of NLP.js v4 that Kefu uses (the packages ship no types).

declare module '@nlpjs/core' {
  export interface Container {
    use(plugin: unknown): void;
    get(name: string, settings?: unknown): unknown;
  }
  export function containerBootstrap(settings?: unknown): Promise<Container>;
}

declare module '@nlpjs/nlp' {
  import type { Container } from '@nlpjs/core';

  export interface NlpClassification {
    intent: string;
    score: number;
  }
  export interface NlpProcessResult {
    intent: string;
    score: number;
    classifications: NlpClassification[];
  }
  export interface NlpSettings {
    languages?: string[];
    autoSave?: boolean;
    autoLoad?: boolean;
    forceNER?: boolean;
    calculateSentiment?: boolean;
    nlu?: { log?: boolean; [key: string]: unknown };
    [key: string]: unknown;
  }
  export class Nlp {
    constructor(settings?: NlpSettings, container?: Container);
    settings: NlpSettings;
    addLanguage(locales: string | string[]): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<void>;
    process(locale: string, utterance: string): Promise<NlpProcessResult>;
  }
}

declare module '@nlpjs/lang-zh' {
  export const LangZh: unknown;
}

declare module '@nlpjs/lang-en' {
  export const LangEn: unknown;
}

declare module '@nlpjs/lang-zh/src/dictionary' {
  const dictionary: { cedict?: unknown; start(): void };
  export default dictionary;
}
