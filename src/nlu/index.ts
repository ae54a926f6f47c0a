import { LocalRecognizer } from './localRecognizer';
import type { Recognizer } from './types';

export * from './types';
export { LocalRecognizer, NLU_CONFIDENCE_THRESHOLD, DEFAULT_CLASSIFIER } from './localRecognizer';
export type { ClassifierKind, LocalRecognizerOptions } from './localRecognizer';
export { extractEntities, warmUp } from './entities';
export { detectLanguage } from './languageDetect';

export type RecognizerKind = 'local';

/**
 * Creates the language-understanding recognizer the bot uses.
 *
 * This is the seam for hosted recognizers: today only the offline `local` one exists (NLP.js +
 * home-made n-gram classifier + recognizers-text, see localRecognizer.ts). An Azure CLU or LLM
 * endpoint recognizer would implement the same `Recognizer` interface, get a new kind here
 * (e.g. 'clu' | 'llm') selected by configuration (an NLU_RECOGNIZER setting), and could still
 * reuse `extractEntities` for the shop's order/ticket numbers. Callers only see `Recognizer`.
 */
export function createRecognizer(kind: RecognizerKind = 'local'): Recognizer {
  switch (kind) {
    case 'local':
      return new LocalRecognizer();
    default: {
      const unknownKind: never = kind;
      throw new Error(`unknown recognizer kind: ${String(unknownKind)}`);
    }
  }
}
