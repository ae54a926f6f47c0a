/**
 * NLU benchmark: what the bot does with real messages it was never trained on.
 *
 *   npm run bench:nlu                          # the default classifier on every evaluation set
 *   npm run bench:nlu -- --classifier nlpjs    # another classifier (nlpjs | ngram | ensemble)
 *   npm run bench:nlu -- --errors              # every wrongly routed message, not only the first ones
 *   tsx test/bench/nlu.ts --startup ngram      # (internal) one cold start-up measurement, JSON on stdout
 *
 * Evaluation sets (none of them is ever read for training):
 * - test/nlu/heldout.<locale>.json: written by the project, like the training data ("same writer");
 * - test/nlu/eval/*.json: more project-written sets (the failure kinds of issue 20), same writer too;
 * - $NLU_EXTERNAL_DIR (default test/nlu/external/, not in git): sets built from public corpora, each
 *   file one source, never used for training: the SOURCE-SPLIT held-out set. How they are made, and
 *   their licences, is in locales/<locale>/nlu/SOURCES.md.
 *
 * "Routed" is what the bot does (src/nlu/decision.ts, the root dialog's policy): route to the intent,
 * ask which of two (two buttons), or say it did not understand. Routed accuracy counts a message right
 * only when the bot goes straight to its intent (for `none`: says it did not understand); "+asked"
 * also counts a two-button question that offers the right one.
 *
 * Start-up is measured in a fresh child process, because recognizers-text's compiled regexes and the
 * OpenCC dictionary are cached per process.
 */
import { spawnSync } from 'node:child_process';
import fs, { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_DECISION_POLICY, decide, type Decision, type DecisionPolicy } from '../../src/nlu/decision';
import { LocalRecognizer, DEFAULT_CLASSIFIER, type ClassifierKind } from '../../src/nlu/localRecognizer';
import { loadEvaluationSet, loadExamples, type Example } from '../../src/nlu/trainingData';
import { INTENTS, type Intent, type Locale, type RecognizeOptions, type RecognizerResult } from '../../src/nlu/types';

const LOCALES: Locale[] = ['zh-CN', 'en-US'];
const KINDS: ClassifierKind[] = ['nlpjs', 'ngram', 'ensemble'];
const PASSES = 5;
const NOW = new Date('2026-11-26T02:00:00Z');
const TZ = 'Asia/Shanghai';
const NLU_TEST_DIR = path.join(__dirname, '..', 'nlu');
const EXTERNAL_DIR = process.env.NLU_EXTERNAL_DIR ?? path.join(NLU_TEST_DIR, 'external');
const ERRORS_SHOWN = process.argv.includes('--errors') ? Infinity : 12;

/** The kinds of message issue 20 found failing, by the intent they must reach. */
const KIND_OF: Partial<Record<Intent, string>> = {
  ticket_status: 'case under way -> tickets',
  account_privacy: 'own details -> my data',
  change_order: 'order address -> orders',
  chitchat: 'small talk',
  greeting: 'small talk',
  goodbye_thanks: 'small talk',
  points_membership: 'offers / coupons / rewards',
  payment_issue: 'payment',
  out_of_scope: 'not the shop\'s business',
};

const out = (line = '') => process.stdout.write(`${line}\n`);

interface EvalSet {
  source: string;
  licence: string;
  /** true: a corpus never used for training (the source-split held-out set). */
  sourceSplit: boolean;
  examples: Example[];
}

function evaluationSets(locale: Locale): EvalSet[] {
  const sets: EvalSet[] = [
    { source: 'kefu-heldout', licence: 'project', sourceSplit: false, examples: loadExamples(path.join(NLU_TEST_DIR, `heldout.${locale}.json`)) },
  ];
  const evalDir = path.join(NLU_TEST_DIR, 'eval');
  for (const file of existsSync(evalDir) ? readdirSync(evalDir).filter((f) => f.endsWith('.json')).sort() : []) {
    const set = loadEvaluationSet(path.join(evalDir, file));
    if (set.locale === locale) sets.push({ ...set, sourceSplit: false });
  }
  for (const file of existsSync(EXTERNAL_DIR) ? readdirSync(EXTERNAL_DIR).filter((f) => f.endsWith('.json')).sort() : []) {
    const set = loadEvaluationSet(path.join(EXTERNAL_DIR, file));
    if (set.locale === locale) sets.push({ ...set, sourceSplit: true });
  }
  return sets;
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

async function startupChild(kind: ClassifierKind, modelCacheDir: string): Promise<void> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = new LocalRecognizer({ classifier: kind, modelCacheDir });
  await r.init();
  const total = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  out(JSON.stringify({ totalMs: total, cpuMs: (cpu.user + cpu.system) / 1000, ...r.timings }));
}

interface StartUp {
  totalMs: number;
  /** CPU time of the start-up (user + system): what it costs on a machine that is not shared. */
  cpuMs: number;
  loadMs: number;
  trainMs: number;
  warmUpMs: number;
  /** The locales whose model the start read from the cache. */
  cached: string[];
}

/** A fresh process's start-up with the trained models kept in `modelCacheDir` (an empty directory: the first start, which trains). */
function measureStartup(kind: ClassifierKind, modelCacheDir: string): StartUp | undefined {
  const tsx = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
  const child = spawnSync(tsx, [__filename, '--startup', kind, modelCacheDir], { encoding: 'utf8', timeout: 120_000 });
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

interface Outcome {
  text: string;
  source: string;
  sourceSplit: boolean;
  gold: Intent;
  /** The top intent and its score. */
  top: Intent;
  score: number;
  decision: Decision;
  ranked: RecognizerResult['intents'];
}

/** What the bot did, as one label: the intent routed to, "ask", or "n/u" (not understood). */
function routedLabel(d: Decision): string {
  return d.kind === 'route' ? d.intent : d.kind === 'ask' ? 'ask' : 'n/u';
}

function routedRight(o: Outcome): boolean {
  if (o.decision.kind === 'route') return o.decision.intent === o.gold;
  return o.decision.kind === 'notUnderstood' && o.gold === 'none';
}

function askedRight(o: Outcome): boolean {
  return o.decision.kind === 'ask' && o.decision.intents.includes(o.gold);
}

async function evaluate(r: LocalRecognizer, locale: Locale, sets: EvalSet[], policy: DecisionPolicy): Promise<Outcome[]> {
  const options: RecognizeOptions = { locale, now: NOW, timezone: TZ };
  const outcomes: Outcome[] = [];
  for (const set of sets) {
    for (const ex of set.examples) {
      const res = await r.recognize(ex.text, options);
      outcomes.push({
        text: ex.text,
        source: set.source,
        sourceSplit: set.sourceSplit,
        gold: ex.intent,
        top: res.intent,
        score: res.score,
        decision: decide(res.intents, policy),
        ranked: res.intents,
      });
    }
  }
  return outcomes;
}

interface Summary {
  n: number;
  top: number;
  routed: number;
  asked: number;
  askedRight: number;
  notUnderstood: number;
}

function summarize(os: Outcome[]): Summary {
  return {
    n: os.length,
    top: os.filter((o) => o.top === o.gold).length / os.length,
    routed: os.filter(routedRight).length / os.length,
    asked: os.filter((o) => o.decision.kind === 'ask').length / os.length,
    askedRight: os.filter((o) => routedRight(o) || askedRight(o)).length / os.length,
    notUnderstood: os.filter((o) => o.decision.kind === 'notUnderstood').length / os.length,
  };
}

function summaryRow(label: string, s: Summary, width = 34): string {
  return `  ${pad(label, width, true)} | ${pad(s.n, 5)} | ${pad(pct(s.top), 7)} | ${pad(pct(s.routed), 7)} | ${pad(pct(s.askedRight), 8)} | ${pad(pct(s.asked), 6)} | ${pad(pct(s.notUnderstood), 6)}`;
}

function summaryHeader(label: string, width = 34): string {
  return `  ${pad(label, width, true)} | ${pad('n', 5)} | ${pad('top-1', 7)} | ${pad('routed', 7)} | ${pad('+asked', 8)} | ${pad('asked', 6)} | ${pad('n/u', 6)}`;
}

function printSources(os: Outcome[], sets: EvalSet[]): void {
  out(summaryHeader('source (licence)'));
  for (const set of sets) {
    const mine = os.filter((o) => o.source === set.source);
    out(summaryRow(`${set.sourceSplit ? '*' : ' '}${set.source} (${set.licence})`, summarize(mine)));
  }
  const split = os.filter((o) => o.sourceSplit);
  if (split.length) out(summaryRow('= SOURCE-SPLIT held-out (* above)', summarize(split)));
  else out(`  (no source-split set: none found in ${EXTERNAL_DIR})`);
  out(summaryRow('= every set', summarize(os)));
}

function printKinds(os: Outcome[]): void {
  out(summaryHeader('kind (intent it must reach)'));
  const kinds = [...new Set(Object.values(KIND_OF))];
  for (const kind of kinds) {
    for (const [label, subset] of [
      ['source-split', os.filter((o) => o.sourceSplit)],
      ['project', os.filter((o) => !o.sourceSplit)],
    ] as const) {
      const mine = subset.filter((o) => KIND_OF[o.gold] === kind);
      if (mine.length) out(summaryRow(`${kind} [${label}]`, summarize(mine), 48));
    }
  }
}

function printPerIntent(os: Outcome[]): void {
  const split = os.filter((o) => o.sourceSplit);
  const project = os.filter((o) => !o.sourceSplit);
  const cell = (subset: Outcome[], intent: Intent) => {
    const tp = subset.filter((o) => o.gold === intent && routedRight(o)).length;
    const predicted = subset.filter((o) => (o.decision.kind === 'route' ? o.decision.intent : o.decision.kind === 'notUnderstood' ? 'none' : '') === intent).length;
    const gold = subset.filter((o) => o.gold === intent).length;
    return `${pad(pct(predicted ? tp / predicted : NaN), 7)} ${pad(pct(gold ? tp / gold : NaN), 7)} ${pad(gold, 4)}`;
  };
  out(`  ${pad('intent', 18, true)} | ${pad('source-split P / R / n', 20)} | ${pad('project P / R / n', 20)}`);
  for (const intent of INTENTS) out(`  ${pad(intent, 18, true)} | ${cell(split, intent)} | ${cell(project, intent)}`);
  out('  (routed: P = share of the messages the bot sent to the intent that belong there; none = "did not understand")');
}

/** Short column names for the confusion table. */
const ABBREV: Record<string, string> = {
  order_status: 'ord',
  cancel_order: 'can',
  change_order: 'chg',
  return_request: 'ret',
  exchange_request: 'exc',
  repair_request: 'rep',
  complaint: 'cmp',
  human_agent: 'hum',
  ticket_status: 'tkt',
  points_membership: 'pts',
  payment_issue: 'pay',
  shipping_info: 'shp',
  account_privacy: 'acc',
  greeting: 'hi',
  goodbye_thanks: 'bye',
  chitchat: 'cht',
  out_of_scope: 'oos',
  none: 'non',
  ask: 'ask',
  'n/u': 'n/u',
};

function printConfusion(os: Outcome[]): void {
  const columns = [...INTENTS.filter((i) => i !== 'none'), 'ask', 'n/u'];
  out(`  ${pad('gold \\ routed', 18, true)}${columns.map((c) => pad(ABBREV[c] ?? c, 5)).join('')}`);
  for (const gold of INTENTS) {
    const mine = os.filter((o) => o.gold === gold);
    if (!mine.length) continue;
    const cells = columns.map((c) => {
      const n = mine.filter((o) => routedLabel(o.decision) === c).length;
      return pad(n ? String(n) : '.', 5);
    });
    out(`  ${pad(gold, 18, true)}${cells.join('')}`);
  }
}

function printPolicies(os: Outcome[]): void {
  out(`  ${pad('threshold', 9)} ${pad('margin', 7)} | routed (source-split) | +asked | routed (project) | +asked`);
  for (const threshold of [0.3, 0.35, 0.4, 0.45, 0.5]) {
    for (const margin of [0, 0.1, 0.2]) {
      const policy: DecisionPolicy = { ...DEFAULT_DECISION_POLICY, threshold, margin };
      const re = os.map((o) => ({ ...o, decision: decide(o.ranked, policy) }));
      const split = summarize(re.filter((o) => o.sourceSplit));
      const project = summarize(re.filter((o) => !o.sourceSplit));
      const mark = threshold === DEFAULT_DECISION_POLICY.threshold && margin === DEFAULT_DECISION_POLICY.margin ? ' <- bot' : '';
      out(
        `  ${pad(threshold.toFixed(2), 9)} ${pad(margin.toFixed(2), 7)} | ${pad(pct(split.routed), 21)} | ${pad(pct(split.askedRight), 6)} | ${pad(pct(project.routed), 16)} | ${pad(pct(project.askedRight), 6)}${mark}`,
      );
    }
  }
}

function printErrors(os: Outcome[], sets: EvalSet[]): void {
  for (const set of sets) {
    const wrong = os.filter((o) => o.source === set.source && !routedRight(o));
    if (!wrong.length) continue;
    out(`  ${set.source}: ${wrong.length} not routed straight${wrong.length > ERRORS_SHOWN ? ` (first ${ERRORS_SHOWN}; --errors for all)` : ''}`);
    for (const o of wrong.slice(0, ERRORS_SHOWN)) {
      const ranked = o.ranked.map((s) => `${ABBREV[s.intent] ?? s.intent} ${s.score.toFixed(2)}`).join(', ');
      out(`    ${pad(o.gold, 17, true)} -> ${pad(routedLabel(o.decision), 17, true)} [${ranked}] ${o.text}`);
    }
  }
}

interface Latency {
  median: number;
  p99: number;
  max: number;
  /** The same per call in CPU time (user + system): on a shared machine the wall clock also counts time the process waited for a core. */
  cpuMedian: number;
  cpuP99: number;
}

async function latency(r: LocalRecognizer, locale: Locale, data: Example[]): Promise<Latency> {
  const options: RecognizeOptions = { locale, now: NOW, timezone: TZ };
  const times: number[] = [];
  const cpu: number[] = [];
  for (const ex of data) await r.recognize(ex.text, options); // warm
  for (let pass = 0; pass < PASSES; pass += 1) {
    for (const ex of data) {
      const c = process.cpuUsage();
      const t = performance.now();
      await r.recognize(ex.text, options);
      times.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { median: quantile(times, 0.5), p99: quantile(times, 0.99), max: times[times.length - 1] ?? NaN, cpuMedian: quantile(cpu, 0.5), cpuP99: quantile(cpu, 0.99) };
}

async function main(): Promise<void> {
  const startupIdx = process.argv.indexOf('--startup');
  const chosen = process.argv[process.argv.indexOf('--classifier') + 1];
  const isKind = (k: string | undefined): k is ClassifierKind => k !== undefined && (KINDS as string[]).includes(k);
  if (startupIdx >= 0) {
    const kind = process.argv[startupIdx + 1];
    if (isKind(kind)) return startupChild(kind, process.argv[startupIdx + 2] ?? '');
    throw new Error(`--startup needs one of ${KINDS.join(', ')}`);
  }
  const kind: ClassifierKind = process.argv.includes('--classifier') ? (isKind(chosen) ? chosen : DEFAULT_CLASSIFIER) : DEFAULT_CLASSIFIER;
  const policy = DEFAULT_DECISION_POLICY;

  out('Kefu NLU benchmark (evaluation sets never used for training)');
  out(`classifier: ${kind}; decision policy: threshold ${policy.threshold}, ask between two within ${policy.margin} (together >= ${policy.pairFloor})`);
  out();
  // The first start trains the intent models and keeps them; every later start reads them (src/nlu/modelCache.ts).
  const models = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-bench-models-'));
  for (const attempt of ['first', 'later'] as const) {
    const s = measureStartup(kind, models);
    if (s) {
      // What the start did, as it reports it: a later start trains again if the first could not keep its models.
      const read = s.cached.length > 0;
      out(
        `Start-up (fresh process, ${attempt} start, ${read ? `reads the trained models of ${s.cached.join(', ')}` : 'trains'}): ${(s.totalMs / 1000).toFixed(2)} s wall, ${(s.cpuMs / 1000).toFixed(2)} s CPU (load ${s.loadMs.toFixed(0)} ms, ${read ? 'read' : 'train'} ${s.trainMs.toFixed(0)} ms, recognizers-text warm-up ${s.warmUpMs.toFixed(0)} ms)`,
      );
    }
  }
  fs.rmSync(models, { recursive: true, force: true });
  const r = new LocalRecognizer({ classifier: kind });
  await r.init();

  for (const locale of LOCALES) {
    const sets = evaluationSets(locale);
    const outcomes = await evaluate(r, locale, sets, policy);
    out();
    out(`=================== ${locale}: ${outcomes.length} messages in ${sets.length} sets ===================`);
    out('Per source (* = source-split: a corpus never used for training); top-1 = the top intent alone');
    printSources(outcomes, sets);
    out();
    out('Per kind of message (issue 20)');
    printKinds(outcomes);
    out();
    out('Per intent, routed precision / recall');
    printPerIntent(outcomes);
    out();
    out('Confusion, every set (rows: the right intent; columns: what the bot did)');
    printConfusion(outcomes);
    out();
    out('Decision policy (threshold to act alone, margin under which the bot asks between two)');
    printPolicies(outcomes);
    out();
    const all = sets.flatMap((set) => set.examples);
    const l = await latency(r, locale, all);
    out(`Latency of recognize() (intent + entities), warm, ${PASSES} passes x ${all.length} messages: median ${l.median.toFixed(3)} ms, p99 ${l.p99.toFixed(3)} ms, max ${l.max.toFixed(3)} ms; CPU time median ${l.cpuMedian.toFixed(3)} ms, p99 ${l.cpuP99.toFixed(3)} ms`);
    out();
    out('Not routed straight to their intent');
    printErrors(outcomes, sets);
  }

  out();
  for (const [locale, text] of [
    ['zh-CN', '我的订单KF202611250042昨天还没到，'.repeat(500)],
    ['en-US', 'where is my order KF202611250042 from yesterday, '.repeat(250)],
  ] as const) {
    const t = performance.now();
    const res = await r.recognize(text.slice(0, 10_000), { locale, now: NOW, timezone: TZ });
    out(`10 000-character ${locale} message: ${(performance.now() - t).toFixed(1)} ms, intent ${res.intent}, ${res.entities.length} entities`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
