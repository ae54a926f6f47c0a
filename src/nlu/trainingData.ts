import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { INTENTS, type Intent, type Locale } from './types';

export interface Example {
  text: string;
  intent: Intent;
}

const intentsFileSchema = z
  .record(z.string(), z.array(z.string().min(1)))
  .superRefine((value, ctx) => {
    for (const key of Object.keys(value)) {
      if (!(INTENTS as readonly string[]).includes(key)) {
        ctx.addIssue({ code: 'custom', message: `unknown intent "${key}"` });
      }
    }
    for (const intent of INTENTS) {
      if (!value[intent]?.length) ctx.addIssue({ code: 'custom', message: `no utterances for intent "${intent}"` });
    }
  });

/** locales/ at the repository root. */
export const DEFAULT_LOCALES_DIR = path.resolve(__dirname, '..', '..', 'locales');

export function intentsFile(locale: Locale, localesDir = DEFAULT_LOCALES_DIR): string {
  return path.join(localesDir, locale, 'nlu', 'intents.json');
}

/**
 * Reads an intents file: `{ "<intent>": ["utterance", ...], ... }`, every intent of INTENTS present.
 * Used for the training data (locales/<locale>/nlu/intents.json) and, by the tests and the
 * benchmark only, for the held-out evaluation sets (test/nlu/heldout.<locale>.json).
 */
export function loadExamples(file: string): Example[] {
  const parsed = intentsFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  const out: Example[] = [];
  for (const intent of INTENTS) {
    for (const text of parsed.data[intent] ?? []) out.push({ text, intent });
  }
  return out;
}

export function loadTrainingData(locale: Locale, localesDir = DEFAULT_LOCALES_DIR): Example[] {
  return loadExamples(intentsFile(locale, localesDir));
}
