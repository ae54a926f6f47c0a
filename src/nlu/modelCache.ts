import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { NgramSnapshot } from './ngramClassifier';

/**
 * Trained intent models kept between starts. Training the n-gram models is most of the recognizer's
 * start-up after the entity warm-up (1.3-1.8 s of 3.5-4.4 s on the slow 2-core machine, bench:nlu), and
 * it gives the same model every time for the same examples and the same code. A model is kept under a
 * key of everything it depends on (the normalized examples, the options, the locale and the source of
 * src/nlu itself), so new training data or a code change trains again; a missing, unreadable or
 * foreign file is ignored and training runs as before. Files are written whole (a temporary file
 * renamed), so a process that starts meanwhile reads the old model or the new one, never half.
 */
export const DEFAULT_MODEL_CACHE_DIR = path.resolve(__dirname, '..', '..', 'node_modules', '.cache', 'kefu-nlu');
const FORMAT = 1;

let codeHash: string | undefined;
/** The source of the recognizer's own files: a change to features, normalisation or training is a new model. */
function sourceOfNlu(): string {
  if (codeHash) return codeHash;
  const hash = createHash('sha256');
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (/\.(ts|js)$/.test(file)) hash.update(file).update(fs.readFileSync(path.join(__dirname, file)));
  }
  codeHash = hash.digest('hex');
  return codeHash;
}

/** The key of a model trained on `examples` (already normalized) for `locale` with `options`. */
export function modelKey(locale: string, examples: { text: string; intent: string }[], options: object): string {
  const hash = createHash('sha256').update(JSON.stringify({ FORMAT, locale, options, code: sourceOfNlu() }));
  for (const ex of examples) hash.update(ex.intent).update('\u0000').update(ex.text).update('\u0001');
  return hash.digest('hex').slice(0, 32);
}

const file = (dir: string, locale: string, key: string) => path.join(dir, `ngram-${locale}-${key}.json`);

export function readModel(dir: string, locale: string, key: string): NgramSnapshot | undefined {
  try {
    const raw = JSON.parse(fs.readFileSync(file(dir, locale, key), 'utf8')) as Record<string, unknown>;
    if (raw.format !== FORMAT || raw.key !== key) return undefined;
    const floats = (v: unknown) => {
      const bytes = Buffer.from(String(v), 'base64');
      return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    };
    return { intents: raw.intents as string[], vocab: raw.vocab as string[], shopWords: raw.shopWords as string[], idf: floats(raw.idf), weights: floats(raw.weights), bias: floats(raw.bias) };
  } catch {
    return undefined;
  }
}

export function writeModel(dir: string, locale: string, key: string, snap: NgramSnapshot): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const b64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
    const target = file(dir, locale, key);
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ format: FORMAT, key, intents: snap.intents, vocab: snap.vocab, shopWords: snap.shopWords, idf: b64(snap.idf), weights: b64(snap.weights), bias: b64(snap.bias) }));
    fs.renameSync(tmp, target);
    // Older models of this locale are of no further use.
    for (const old of fs.readdirSync(dir)) if (old.startsWith(`ngram-${locale}-`) && old.endsWith('.json') && path.join(dir, old) !== target) fs.rmSync(path.join(dir, old), { force: true });
  } catch {
    // A read-only or full disk: the next start trains again.
  }
}
