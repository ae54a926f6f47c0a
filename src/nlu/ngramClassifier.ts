import type { Example } from './trainingData';
import { INTENTS, type Intent, type IntentScore, type Locale } from './types';

/**
 * The home-made alternative to NLP.js: character n-grams + words → softmax (multinomial logistic)
 * regression, trained by plain SGD. Character n-grams are what make it robust to typos
 * ("wheres my oder"), to Chinese without word segmentation and to mixed "我的order到哪了".
 * Training ~1 300 examples takes a few tens of milliseconds; classifying one message a few µs.
 */

const EN_STOP = new Set(['the', 'a', 'an', 'to', 'of', 'is', 'it', 'i', 'my', 'me', 'and', 'for', 'in', 'on', 'at', 'be', 'this', 'that', 'you', 'your', 'pls', 'please', 'plz']);

/** Crude English stemmer: enough to merge refund/refunds/refunded/refunding. */
function stem(word: string): string {
  if (word.length <= 4) return word;
  return word.replace(/(?:ing|ed|es|s)$/, '');
}

export function features(text: string, locale: Locale): string[] {
  const out: string[] = [];
  const words = text.match(/[a-z0-9']+|[\p{Script=Han}]+/gu) ?? [];
  const latin: string[] = [];
  for (const w of words) {
    if (/^[\p{Script=Han}]+$/u.test(w)) {
      // Han run: character 1-, 2- and 3-grams.
      for (let i = 0; i < w.length; i += 1) {
        out.push(`c1:${w[i]}`);
        if (i + 1 < w.length) out.push(`c2:${w.slice(i, i + 2)}`);
        if (i + 2 < w.length) out.push(`c3:${w.slice(i, i + 3)}`);
      }
      if (w.length <= 2) out.push(`hw:${w}`);
    } else {
      const word = w.replace(/'/g, '');
      if (!word) continue;
      latin.push(word);
      if (!EN_STOP.has(word) || locale === 'zh-CN') out.push(`w:${stem(word)}`);
      // Character 3- and 4-grams inside the word, with boundaries: typo tolerance.
      const padded = `<${word}>`;
      for (let n = 3; n <= 4; n += 1) {
        for (let i = 0; i + n <= padded.length; i += 1) out.push(`g${n}:${padded.slice(i, i + n)}`);
      }
    }
  }
  for (let i = 0; i + 1 < latin.length; i += 1) out.push(`b:${stem(latin[i] ?? '')}_${stem(latin[i + 1] ?? '')}`);
  // Very short messages ("退货", "refund?", "hi") behave differently from long ones.
  const len = text.replace(/\s/g, '').length;
  out.push(len <= 4 ? 'len:xs' : len <= 12 ? 'len:s' : len <= 40 ? 'len:m' : 'len:l');
  return out;
}

interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

export interface NgramClassifierOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
}

/** Intents that are no request to the shop: their words do not make the shop's vocabulary. */
const NOT_SHOP: ReadonlySet<Intent> = new Set<Intent>(['greeting', 'goodbye_thanks', 'chitchat', 'out_of_scope', 'none']);

/** Word and Han-bigram features: the units of the shop's vocabulary. */
const LEXICAL = /^(?:w|c2):/;

/**
 * The shop's vocabulary, learnt from the training data: words (and Han character pairs) seen at
 * least 3 times and at least 85 % of the time in requests to the shop (orders, refunds, points ...).
 * How many of them a message holds becomes a feature of its own: a message with none ("can you
 * tell me how to make alfredo", "帮我订个酒店") leans to small talk or out of scope, whatever its
 * other words, which a bag of n-grams alone learns only from examples of every such topic.
 */
function shopVocabulary(examples: { features: string[]; intent: Intent }[]): Set<string> {
  const seen = new Map<string, { shop: number; all: number }>();
  for (const ex of examples) {
    const shop = !NOT_SHOP.has(ex.intent);
    for (const f of new Set(ex.features)) {
      if (!LEXICAL.test(f)) continue;
      const c = seen.get(f) ?? { shop: 0, all: 0 };
      c.all += 1;
      if (shop) c.shop += 1;
      seen.set(f, c);
    }
  }
  const out = new Set<string>();
  for (const [f, c] of seen) if (c.all >= 3 && c.shop / c.all >= 0.85) out.add(f);
  return out;
}

function shopFeature(features: string[], vocabulary: Set<string>): string {
  let n = 0;
  for (const f of new Set(features)) if (vocabulary.has(f)) n += 1;
  return n === 0 ? 'shop:0' : n === 1 ? 'shop:1' : 'shop:2+';
}

/** A trained n-gram model: feature ids are positions in `vocab`; weights are [feature][intent] in `intents` order. */
export interface NgramSnapshot {
  intents: string[];
  vocab: string[];
  shopWords: string[];
  idf: Float32Array;
  weights: Float32Array;
  bias: Float32Array;
}

export class NgramClassifier {
  private readonly vocab = new Map<string, number>();
  private shopWords = new Set<string>();
  private idf: Float32Array = new Float32Array(0);
  private weights: Float32Array = new Float32Array(0); // [feature][class]
  private bias: Float32Array = new Float32Array(INTENTS.length);

  constructor(
    private readonly locale: Locale,
    private readonly options: NgramClassifierOptions = {},
  ) {}

  private vectorize(text: string, grow: boolean): SparseVector {
    const counts = new Map<number, number>();
    const base = features(text, this.locale);
    base.push(shopFeature(base, this.shopWords));
    for (const f of base) {
      let id = this.vocab.get(f);
      if (id === undefined) {
        if (!grow) continue;
        id = this.vocab.size;
        this.vocab.set(f, id);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const idx = new Int32Array(counts.size);
    const val = new Float32Array(counts.size);
    let k = 0;
    let norm = 0;
    for (const [id, c] of counts) {
      const v = (1 + Math.log(c)) * (this.idf[id] ?? 1);
      idx[k] = id;
      val[k] = v;
      norm += v * v;
      k += 1;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < val.length; i += 1) val[i] = (val[i] ?? 0) / norm;
    return { idx, val };
  }

  train(examples: Example[]): void {
    const C = INTENTS.length;
    const classOf = new Map<Intent, number>(INTENTS.map((intent, i) => [intent, i]));
    this.shopWords = shopVocabulary(examples.map((ex) => ({ features: features(ex.text, this.locale), intent: ex.intent })));
    // Vocabulary and document frequencies.
    const df = new Map<number, number>();
    for (const ex of examples) {
      const seen = new Set(this.vectorize(ex.text, true).idx);
      for (const id of seen) df.set(id, (df.get(id) ?? 0) + 1);
    }
    const V = this.vocab.size;
    this.idf = new Float32Array(V);
    for (let id = 0; id < V; id += 1) this.idf[id] = Math.log((1 + examples.length) / (1 + (df.get(id) ?? 0))) + 1;
    const data = examples.map((ex) => ({ x: this.vectorize(ex.text, false), y: classOf.get(ex.intent) ?? 0 }));

    this.weights = new Float32Array(V * C);
    this.bias = new Float32Array(C);
    const epochs = this.options.epochs ?? 20;
    const lr0 = this.options.learningRate ?? 1.0;
    const l2 = this.options.l2 ?? 1e-5;
    let seed = this.options.seed ?? 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const order = data.map((_, i) => i);
    const probs = new Float32Array(C);
    for (let epoch = 0; epoch < epochs; epoch += 1) {
      for (let i = order.length - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        const t = order[i] ?? 0;
        order[i] = order[j] ?? 0;
        order[j] = t;
      }
      const lr = lr0 / (1 + epoch * 0.1);
      for (const n of order) {
        const sample = data[n];
        if (!sample) continue;
        this.scores(sample.x, probs);
        for (let c = 0; c < C; c += 1) {
          const g = (probs[c] ?? 0) - (c === sample.y ? 1 : 0);
          this.bias[c] = (this.bias[c] ?? 0) - lr * g * 0.1;
          for (let k = 0; k < sample.x.idx.length; k += 1) {
            const w = (sample.x.idx[k] ?? 0) * C + c;
            const cur = this.weights[w] ?? 0;
            this.weights[w] = cur - lr * (g * (sample.x.val[k] ?? 0) + l2 * cur);
          }
        }
      }
    }
  }

  /** Softmax probabilities into `out`. */
  private scores(x: SparseVector, out: Float32Array): void {
    const C = INTENTS.length;
    for (let c = 0; c < C; c += 1) out[c] = this.bias[c] ?? 0;
    for (let k = 0; k < x.idx.length; k += 1) {
      const base = (x.idx[k] ?? 0) * C;
      const v = x.val[k] ?? 0;
      for (let c = 0; c < C; c += 1) out[c] = (out[c] ?? 0) + (this.weights[base + c] ?? 0) * v;
    }
    let max = -Infinity;
    for (let c = 0; c < C; c += 1) max = Math.max(max, out[c] ?? 0);
    let sum = 0;
    for (let c = 0; c < C; c += 1) {
      const e = Math.exp((out[c] ?? 0) - max);
      out[c] = e;
      sum += e;
    }
    for (let c = 0; c < C; c += 1) out[c] = (out[c] ?? 0) / sum;
  }

  /** The trained model's state (modelCache.ts keeps it between starts). */
  snapshot(): NgramSnapshot {
    return { intents: [...INTENTS], vocab: [...this.vocab.keys()], shopWords: [...this.shopWords], idf: this.idf, weights: this.weights, bias: this.bias };
  }

  /** A model with a snapshot's state, as if trained again on the same examples with the same code; false (and unchanged) if the snapshot does not fit. */
  restore(snap: NgramSnapshot): boolean {
    const C = INTENTS.length;
    const V = snap.vocab.length;
    const fits = snap.intents.join() === INTENTS.join() && snap.idf.length === V && snap.weights.length === V * C && snap.bias.length === C;
    if (!fits) return false;
    this.vocab.clear();
    snap.vocab.forEach((f, id) => this.vocab.set(f, id));
    this.shopWords = new Set(snap.shopWords);
    this.idf = snap.idf;
    this.weights = snap.weights;
    this.bias = snap.bias;
    return true;
  }

  /** All intents with probabilities, sorted descending. `text` must already be normalized. */
  classify(text: string): IntentScore[] {
    const x = this.vectorize(text, false);
    if (x.idx.length <= 2) {
      // Nothing but the length and shop-vocabulary features: no known word or character at all.
      return INTENTS.map((intent) => ({ intent, score: intent === 'none' ? 1 : 0 }));
    }
    const probs = new Float32Array(INTENTS.length);
    this.scores(x, probs);
    return INTENTS.map((intent, i) => ({ intent, score: probs[i] ?? 0 })).sort((a, b) => b.score - a.score);
  }
}
