/**
 * NLU benchmark: accuracy, per-intent precision/recall, latency and start-up time of the local
 * recognizer on the held-out sets (test/nlu/heldout.<locale>.json, never used for training), for
 * each classifier (NLP.js, the home-made n-gram model, and their ensemble).
 *
 *   tsx test/bench/nlu.ts                 # everything
 *   tsx test/bench/nlu.ts --startup nlpjs # (internal) one cold start-up measurement, JSON on stdout
 *
 * Start-up is measured in a fresh child process per classifier, because the zh dictionary and
 * recognizers-text's compiled regexes are cached per process.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { extractEntities } from '../../src/nlu/entities';
import { LocalRecognizer, NLU_CONFIDENCE_THRESHOLD, DEFAULT_CLASSIFIER, type ClassifierKind } from '../../src/nlu/localRecognizer';
import { loadExamples, type Example } from '../../src/nlu/trainingData';
import { INTENTS, type Locale, type RecognizeOptions } from '../../src/nlu/types';

const LOCALES: Locale[] = ['zh-CN', 'en-US'];
const KINDS: ClassifierKind[] = ['nlpjs', 'ngram', 'ensemble'];
const PASSES = 5;
const NOW = new Date('2026-11-26T02:00:00Z');
const TZ = 'Asia/Shanghai';

const out = (line = '') => process.stdout.write(`${line}\n`);

function heldout(locale: Locale): Example[] {
  return loadExamples(path.join(__dirname, '..', 'nlu', `heldout.${locale}.json`));
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

function pad(s: string | number, n: number, right = false): string {
  const str = String(s);
  return right ? str.padEnd(n) : str.padStart(n);
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '  -  ');

async function startupChild(kind: ClassifierKind): Promise<void> {
  const t0 = performance.now();
  const r = new LocalRecognizer({ classifier: kind });
  await r.init();
  const total = performance.now() - t0;
  out(JSON.stringify({ totalMs: total, ...r.timings }));
}

interface StartUp {
  totalMs: number;
  loadMs: number;
  trainMs: number;
  warmUpMs: number;
}

function measureStartup(kind: ClassifierKind): StartUp | undefined {
  const tsx = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
  const child = spawnSync(tsx, [__filename, '--startup', kind], { encoding: 'utf8', timeout: 120_000 });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed && typeof parsed === 'object' && 'totalMs' in parsed) return parsed as StartUp;
  } catch {
    // fall through
  }
  process.stderr.write(`start-up measurement for ${kind} failed: ${child.stderr}\n`);
  return undefined;
}

interface Evaluation {
  accuracy: number;
  predictions: { gold: string; pred: string; score: number }[];
}

async function evaluate(r: LocalRecognizer, locale: Locale, data: Example[]): Promise<Evaluation> {
  const options: RecognizeOptions = { locale, now: NOW, timezone: TZ };
  const predictions: Evaluation['predictions'] = [];
  for (const ex of data) {
    const res = await r.recognize(ex.text, options);
    predictions.push({ gold: ex.intent, pred: res.intent, score: res.score });
  }
  const correct = predictions.filter((p) => p.gold === p.pred).length;
  return { accuracy: correct / predictions.length, predictions };
}

async function latency(r: LocalRecognizer, locale: Locale, data: Example[]): Promise<{ median: number; p99: number; max: number }> {
  const options: RecognizeOptions = { locale, now: NOW, timezone: TZ };
  const times: number[] = [];
  for (const ex of data) await r.recognize(ex.text, options); // warm
  for (let pass = 0; pass < PASSES; pass += 1) {
    for (const ex of data) {
      const t = performance.now();
      await r.recognize(ex.text, options);
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  return { median: quantile(times, 0.5), p99: quantile(times, 0.99), max: times[times.length - 1] ?? NaN };
}

async function classifyLatency(r: LocalRecognizer, locale: Locale, data: Example[]): Promise<{ median: number; p99: number }> {
  const times: number[] = [];
  for (let pass = 0; pass < PASSES; pass += 1) {
    for (const ex of data) {
      const t = performance.now();
      await r.classifyOnly(ex.text, locale);
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  return { median: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

function entityLatency(locale: Locale, data: Example[]): { median: number; p99: number } {
  const times: number[] = [];
  for (let pass = 0; pass < PASSES; pass += 1) {
    for (const ex of data) {
      const t = performance.now();
      extractEntities(ex.text, locale, NOW, TZ);
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  return { median: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

function printPerIntent(byKind: Map<ClassifierKind, Evaluation>): void {
  const header = `  ${pad('intent', 18, true)}` + KINDS.map((k) => ` | ${pad(`${k} P`, 8)} ${pad(`${k} R`, 8)}`).join('') + ' |  n';
  out(header);
  out(`  ${'-'.repeat(header.length - 2)}`);
  for (const intent of INTENTS) {
    let row = `  ${pad(intent, 18, true)}`;
    let n = 0;
    for (const kind of KINDS) {
      const ev = byKind.get(kind);
      if (!ev) continue;
      const tp = ev.predictions.filter((p) => p.gold === intent && p.pred === intent).length;
      const predicted = ev.predictions.filter((p) => p.pred === intent).length;
      const gold = ev.predictions.filter((p) => p.gold === intent).length;
      n = gold;
      row += ` | ${pad(pct(predicted ? tp / predicted : NaN), 8 + kind.length - 4)} ${pad(pct(gold ? tp / gold : NaN), 8 + kind.length - 4)}`;
    }
    out(`${row} | ${pad(n, 2)}`);
  }
}

function printThresholds(ev: Evaluation): void {
  out('  threshold | answered | accuracy of answered | wrong answers let through');
  for (const t of [0.2, 0.3, 0.4, 0.5, 0.6, 0.7]) {
    const answered = ev.predictions.filter((p) => p.score >= t);
    const correct = answered.filter((p) => p.gold === p.pred).length;
    out(
      `  ${pad(t.toFixed(2), 9)} | ${pad(pct(answered.length / ev.predictions.length), 8)} | ${pad(pct(answered.length ? correct / answered.length : NaN), 20)} | ${pad(answered.length - correct, 5)}`,
    );
  }
}

async function main(): Promise<void> {
  const startupIdx = process.argv.indexOf('--startup');
  if (startupIdx >= 0) {
    const kind = process.argv[startupIdx + 1];
    if (kind === 'nlpjs' || kind === 'ngram' || kind === 'ensemble') return startupChild(kind);
    throw new Error(`--startup needs one of ${KINDS.join(', ')}`);
  }

  out('Kefu NLU benchmark (held-out sets; never used for training)');
  out(`default classifier: ${DEFAULT_CLASSIFIER}; NLU_CONFIDENCE_THRESHOLD = ${NLU_CONFIDENCE_THRESHOLD}`);
  out();

  out('Start-up (fresh process each: training-data load + zh dictionary + training + recognizers-text warm-up)');
  out(`  ${pad('classifier', 10, true)} | ${pad('total', 8)} | ${pad('load', 7)} | ${pad('train', 8)} | ${pad('warm-up', 8)}`);
  for (const kind of KINDS) {
    const s = measureStartup(kind);
    if (!s) continue;
    out(
      `  ${pad(kind, 10, true)} | ${pad(`${(s.totalMs / 1000).toFixed(2)} s`, 8)} | ${pad(`${s.loadMs.toFixed(0)} ms`, 7)} | ${pad(`${s.trainMs.toFixed(0)} ms`, 8)} | ${pad(`${s.warmUpMs.toFixed(0)} ms`, 8)}`,
    );
  }
  out();

  const recognizers = new Map<ClassifierKind, LocalRecognizer>();
  for (const kind of KINDS) {
    const r = new LocalRecognizer({ classifier: kind });
    await r.init();
    recognizers.set(kind, r);
  }

  for (const locale of LOCALES) {
    const data = heldout(locale);
    out(`=== ${locale}: ${data.length} held-out messages ===`);
    const byKind = new Map<ClassifierKind, Evaluation>();
    for (const kind of KINDS) {
      const r = recognizers.get(kind);
      if (r) byKind.set(kind, await evaluate(r, locale, data));
    }
    out('Accuracy');
    for (const kind of KINDS) out(`  ${pad(kind, 10, true)} ${pct(byKind.get(kind)?.accuracy ?? NaN)}`);
    out();
    out('Per-intent precision (P) / recall (R)');
    printPerIntent(byKind);
    out();
    out(`Latency of recognize() (intent + entities), warm, ${PASSES} passes x ${data.length} messages`);
    out(`  ${pad('classifier', 10, true)} | ${pad('median', 9)} | ${pad('p99', 9)} | ${pad('max', 9)}`);
    for (const kind of KINDS) {
      const r = recognizers.get(kind);
      if (!r) continue;
      const l = await latency(r, locale, data);
      const c = await classifyLatency(r, locale, data);
      out(
        `  ${pad(kind, 10, true)} | ${pad(`${l.median.toFixed(3)} ms`, 9)} | ${pad(`${l.p99.toFixed(3)} ms`, 9)} | ${pad(`${l.max.toFixed(3)} ms`, 9)}` +
          `   (intent alone: median ${c.median.toFixed(3)} ms, p99 ${c.p99.toFixed(3)} ms)`,
      );
    }
    const el = entityLatency(locale, data);
    out(`  (entities alone: median ${el.median.toFixed(3)} ms, p99 ${el.p99.toFixed(3)} ms)`);
    out();
    const def = byKind.get(DEFAULT_CLASSIFIER);
    if (def) {
      out(`Confidence threshold (${DEFAULT_CLASSIFIER})`);
      printThresholds(def);
      const errors = def.predictions
        .map((p, i) => ({ ...p, text: data[i]?.text ?? '' }))
        .filter((p) => p.gold !== p.pred);
      out();
      out(`Misclassified by ${DEFAULT_CLASSIFIER} (${errors.length})`);
      for (const e of errors) out(`  ${e.gold} -> ${e.pred} (${e.score.toFixed(2)}): ${e.text}`);
    }
    out();
  }

  // Guardrail: a 10 000-character message.
  const r = recognizers.get(DEFAULT_CLASSIFIER);
  if (r) {
    for (const [locale, text] of [
      ['zh-CN', '我的订单KF202611250042昨天还没到，'.repeat(500)],
      ['en-US', 'where is my order KF202611250042 from yesterday, '.repeat(250)],
    ] as const) {
      const t = performance.now();
      const res = await r.recognize(text.slice(0, 10_000), { locale, now: NOW, timezone: TZ });
      out(`10 000-character ${locale} message: ${(performance.now() - t).toFixed(1)} ms, intent ${res.intent}, ${res.entities.length} entities`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
