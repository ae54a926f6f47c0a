import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { INTENTS, isIntent, type Intent, type Locale } from './types';

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

const evaluationSetSchema = z.object({
  source: z.string().min(1),
  locale: z.enum(['zh-CN', 'en-US']),
  licence: z.string().min(1),
  origin: z.string().optional(),
  intents: z.record(z.string(), z.array(z.string().min(1))),
});

export interface EvaluationSet {
  /** Where the messages come from: a corpus or a writer (bench:nlu reports accuracy per source). */
  source: string;
  locale: Locale;
  licence: string;
  examples: Example[];
}

/**
 * Reads an evaluation set for bench:nlu: `{ source, locale, licence, origin?, intents: { "<intent>":
 * [messages] } }`, any subset of INTENTS. Such sets are never read for training.
 */
export function loadEvaluationSet(file: string): EvaluationSet {
  const parsed = evaluationSetSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { source, locale, licence, intents } = parsed.data;
  const examples: Example[] = [];
  for (const [intent, texts] of Object.entries(intents)) {
    if (!isIntent(intent)) throw new Error(`${file}: unknown intent "${intent}"`);
    for (const text of texts) examples.push({ text, intent });
  }
  return { source, locale, licence, examples };
}
