/**
 * Builds bench:nlu's SOURCE-SPLIT held-out sets (test/nlu/external/, git-ignored) from copies of the
 * public corpora, exactly as locales/en-US/nlu/SOURCES.md and locales/zh-CN/nlu/SOURCES.md describe.
 * These files are never committed and never trained on.
 *
 *   tsx test/nlu/build-external.ts --clinc <oos-eval> --banking <task-specific-datasets> --crosswoz <CrossWOZ> [--out <dir>]
 *
 * Each corpus argument is a copy of its GitHub repository: a checkout (a work tree) or a bare git
 * directory (read with `git show HEAD:<path>`):
 * - github.com/clinc/oos-eval                      -> data/data_full.json (CC BY 3.0)
 * - github.com/PolyAI-LDN/task-specific-datasets   -> banking_data/test.csv (CC BY 4.0)
 * - github.com/thu-coai/CrossWOZ                   -> data/crosswoz/{test,val}.json.zip (Apache-2.0)
 * A corpus left out is skipped (its file is not written). --out defaults to $NLU_EXTERNAL_DIR, then
 * test/nlu/external/. With --dev it writes the development sets instead (CLINC150's val and oos_val
 * splits, Banking77's train.csv, the same classes, at most as many a class) into <that>/dev/, where
 * bench:nlu does not look: they may be read to learn how customers write, never copied from.
 *
 * Sampling is reproducible: every class's messages, in corpus order, are shuffled by Fisher-Yates with
 * a mulberry32 generator seeded 20 (one generator per class, so a class's sample does not depend on
 * the others), and the first n are taken.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { Intent } from '../../src/nlu/types';

const SEED = 20;

const out = (line: string) => process.stdout.write(`${line}\n`);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** A file of a corpus: from a work tree if there is one, otherwise from a bare git directory's HEAD. */
function readCorpusFile(root: string, rel: string): Buffer {
  const direct = path.join(root, rel);
  if (existsSync(direct)) return readFileSync(direct);
  const isBare = existsSync(path.join(root, 'HEAD')) && existsSync(path.join(root, 'objects'));
  if (isBare) return execFileSync('git', ['--git-dir', root, 'show', `HEAD:${rel}`], { maxBuffer: 64 * 1024 * 1024 });
  throw new Error(`${root}: no ${rel} (neither a checkout nor a bare git directory holding it)`);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n messages of a class, a fixed random sample (seed 20); all of them when there are fewer. */
export function sample<T>(items: readonly T[], n: number, seed = SEED): T[] {
  const random = mulberry32(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const t = copy[i] as T;
    copy[i] = copy[j] as T;
    copy[j] = t;
  }
  return copy.slice(0, n);
}

interface ExternalSet {
  source: string;
  locale: 'zh-CN' | 'en-US';
  licence: string;
  origin: string;
  intents: Partial<Record<Intent, string[]>>;
}

/** [corpus class, how many, the intent the bot must reach] */
type Plan = [string, number, Intent][];

/** --dev: the development splits instead (read while writing training data, never measured as held-out). */
const DEV = process.argv.includes('--dev');

function build(byClass: Map<string, string[]>, plan: Plan, corpus: string): Partial<Record<Intent, string[]>> {
  const intents: Partial<Record<Intent, string[]>> = {};
  for (const [cls, n, intent] of plan) {
    const messages = byClass.get(cls);
    if (!messages?.length) throw new Error(`${corpus}: no class "${cls}"`);
    // A development split may be smaller than the test split (CLINC150's val has 20 a class): all of it.
    if (messages.length < n && !DEV) throw new Error(`${corpus}: class "${cls}" has ${messages.length} messages, ${n} wanted`);
    (intents[intent] ??= []).push(...sample(messages, n).map((m) => m.trim()));
  }
  return intents;
}

function group(rows: Iterable<[string, string]>): Map<string, string[]> {
  const byClass = new Map<string, string[]>();
  for (const [text, cls] of rows) {
    const list = byClass.get(cls) ?? [];
    list.push(text);
    byClass.set(cls, list);
  }
  return byClass;
}

// ---------------------------------------------------------------- CLINC150 (test and oos_test splits)

const CLINC_CHITCHAT = [
  'greeting', // CLINC150's "greeting" is "how are you", "how's it going": small talk about the bot
  'are_you_a_bot',
  'what_is_your_name',
  'how_old_are_you',
  'who_made_you',
  'what_are_your_hobbies',
  'where_are_you_from',
  'do_you_have_pets',
  'who_do_you_work_for',
  'tell_joke',
];
const CLINC_OUT_OF_SCOPE = [
  'uber',
  'book_hotel',
  'weather',
  'transfer',
  'book_flight',
  'car_rental',
  'restaurant_reservation',
  'directions',
  'exchange_rate',
  'pay_bill',
  'play_music',
  'alarm',
  'recipe',
  'translate',
];
const CLINC_PLAN: Plan = [
  ...CLINC_CHITCHAT.map((c): [string, number, Intent] => [c, 12, 'chitchat']),
  ['goodbye', 30, 'goodbye_thanks'],
  ['thank_you', 30, 'goodbye_thanks'],
  ['order_status', 30, 'order_status'],
  ['redeem_rewards', 30, 'points_membership'],
  ['rewards_balance', 30, 'points_membership'],
  ['card_declined', 30, 'payment_issue'],
  ['oos', 100, 'out_of_scope'],
  ...CLINC_OUT_OF_SCOPE.map((c): [string, number, Intent] => [c, 10, 'out_of_scope']),
];

function clinc(root: string): ExternalSet {
  const data = JSON.parse(readCorpusFile(root, 'data/data_full.json').toString('utf8')) as Record<string, [string, string][]>;
  const [inScope, outOfScope] = DEV ? ['val', 'oos_val'] : ['test', 'oos_test'];
  const test = data[inScope] ?? [];
  const oos = data[outOfScope] ?? [];
  if (!test.length || !oos.length) throw new Error(`${root}: data/data_full.json has no ${inScope} / ${outOfScope} split`);
  return {
    source: DEV ? 'clinc150-dev' : 'clinc150',
    locale: 'en-US',
    licence: 'CC BY 3.0',
    origin: `github.com/clinc/oos-eval data/data_full.json, ${inScope} and ${outOfScope} splits (Larson et al., EMNLP 2019)`,
    intents: build(group([...test, ...oos]), CLINC_PLAN, 'CLINC150'),
  };
}

// ---------------------------------------------------------------- Banking77 (test split)

const BANKING_OUT_OF_SCOPE = [
  'cancel_transfer',
  'transfer_not_received_by_recipient',
  'exchange_rate',
  'atm_support',
  'cash_withdrawal_charge',
  'change_pin',
  'top_up_failed',
];
const BANKING_PLAN: Plan = [
  ['edit_personal_details', 40, 'account_privacy'],
  ['terminate_account', 40, 'account_privacy'],
  ['Refund_not_showing_up', 40, 'ticket_status'],
  ['transaction_charged_twice', 40, 'payment_issue'],
  ['declined_card_payment', 40, 'payment_issue'],
  ['pending_card_payment', 40, 'payment_issue'],
  ['card_payment_fee_charged', 40, 'payment_issue'],
  ...BANKING_OUT_OF_SCOPE.map((c): [string, number, Intent] => [c, 15, 'out_of_scope']),
];

/** RFC 4180 rows (quoted fields with "" escapes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

function banking(root: string): ExternalSet {
  const csv = DEV ? 'banking_data/train.csv' : 'banking_data/test.csv';
  const [header, ...rows] = parseCsv(readCorpusFile(root, csv).toString('utf8'));
  if (header?.[0] !== 'text' || header[1] !== 'category') throw new Error(`${root}: ${csv} is not "text,category"`);
  return {
    source: DEV ? 'banking77-dev' : 'banking77',
    locale: 'en-US',
    licence: 'CC BY 4.0',
    origin: `github.com/PolyAI-LDN/task-specific-datasets ${csv} (Casanueva et al., 2020)`,
    intents: build(group(rows.map((r): [string, string] => [r[0] ?? '', r[1] ?? ''])), BANKING_PLAN, 'Banking77'),
  };
}

// ---------------------------------------------------------------- CrossWOZ (test and val dialogues)

/** The one file of a single-entry zip archive (stored or deflated), read with node:zlib. */
export function unzipSingle(zip: Buffer): Buffer {
  // End of central directory: signature 0x06054b50, within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i -= 1) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive');
  const central = zip.readUInt32LE(eocd + 16);
  if (zip.readUInt32LE(central) !== 0x02014b50) throw new Error('zip: bad central directory');
  const method = zip.readUInt16LE(central + 10);
  const compressedSize = zip.readUInt32LE(central + 20);
  const local = zip.readUInt32LE(central + 42);
  if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error('zip: bad local header');
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const body = zip.subarray(start, start + compressedSize);
  if (method === 0) return Buffer.from(body);
  if (method === 8) return inflateRawSync(body);
  throw new Error(`zip: compression method ${method} not supported`);
}

interface CrossWozMessage {
  content: string;
  role: 'usr' | 'sys';
  dialog_act: string[][];
}

const CROSSWOZ_FIRST = 200;
const CROSSWOZ_THANKS = 80;
const CROSSWOZ_THANKS_MAX_CHARS = 20;

function crosswoz(root: string): ExternalSet {
  const dialogues: CrossWozMessage[][] = [];
  for (const split of ['test', 'val']) {
    const zip = readCorpusFile(root, `data/crosswoz/${split}.json.zip`);
    const data = JSON.parse(unzipSingle(zip).toString('utf8')) as Record<string, { messages: CrossWozMessage[] }>;
    for (const id of Object.keys(data).sort((a, b) => Number(a) - Number(b))) dialogues.push(data[id]?.messages ?? []);
  }
  // A customer's first message: what a traveller asks a shop's bot that is not its business.
  const first = dialogues.map((d) => d.find((m) => m.role === 'usr')?.content.trim() ?? '').filter(Boolean);
  // A dialogue's closing customer message when it thanks (the dialogue act General/thank), short.
  const thanks = new Set<string>();
  for (const d of dialogues) {
    const last = [...d].reverse().find((m) => m.role === 'usr');
    if (!last) continue;
    const text = last.content.trim();
    const thanking = last.dialog_act.some((act) => act[0] === 'General' && act[1] === 'thank');
    if (thanking && [...text].length <= CROSSWOZ_THANKS_MAX_CHARS) thanks.add(text);
  }
  if (first.length < CROSSWOZ_FIRST || thanks.size < CROSSWOZ_THANKS) throw new Error(`${root}: too few CrossWOZ dialogues`);
  return {
    source: 'crosswoz',
    locale: 'zh-CN',
    licence: 'Apache-2.0',
    origin: 'github.com/thu-coai/CrossWOZ data/crosswoz/{test,val}.json.zip (Zhu et al., TACL 2020)',
    intents: {
      out_of_scope: sample(first, CROSSWOZ_FIRST),
      goodbye_thanks: sample([...thanks], CROSSWOZ_THANKS),
    },
  };
}

function main(): void {
  const held = process.env.NLU_EXTERNAL_DIR ?? path.join(__dirname, 'external');
  // The development sets go one level down, where bench:nlu does not look.
  const dir = arg('out') ?? (DEV ? path.join(held, 'dev') : held);
  const builders: [string, (root: string) => ExternalSet][] = [
    ['clinc', clinc],
    ['banking', banking],
    // CrossWOZ has no development set of its own here: its test and val dialogues are the held-out set.
    ...(DEV ? [] : [['crosswoz', crosswoz] as [string, (root: string) => ExternalSet]]),
  ];
  const given = builders.filter(([name]) => arg(name));
  if (!given.length) {
    out('usage: tsx test/nlu/build-external.ts [--dev] --clinc <oos-eval> --banking <task-specific-datasets> --crosswoz <CrossWOZ> [--out <dir>]');
    process.exitCode = 2;
    return;
  }
  mkdirSync(dir, { recursive: true });
  for (const [name, make] of given) {
    const root = arg(name) ?? '';
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`--${name} ${root}: no such directory`);
    const set = make(root);
    const file = path.join(dir, `${set.source}.${set.locale}.json`);
    writeFileSync(file, `${JSON.stringify(set, null, 1)}\n`);
    const counts = Object.entries(set.intents).map(([intent, list]) => `${intent} ${list.length}`);
    out(`${file}: ${counts.join(', ')}`);
  }
}

if (require.main === module) main();
