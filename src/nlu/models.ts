import { ChoiceRecognizer } from '@microsoft/recognizers-text-choice';
import { DateTimeRecognizer, type IDateTimeModel } from '@microsoft/recognizers-text-date-time';
import { NumberRecognizer } from '@microsoft/recognizers-text-number';
import { NumberWithUnitRecognizer } from '@microsoft/recognizers-text-number-with-unit';
import { SequenceRecognizer } from '@microsoft/recognizers-text-sequence';
import { Culture, type IModel, type ModelResult } from '@microsoft/recognizers-text';
import { type GateableExtractor, isExtractor, layerReplacing, likeness, memoized, overlay, resultMemo, type ResultMemo } from './modelLayers';

/**
 * The recognizers-text models, built once per culture. The suite's recognizeX(query, culture)
 * functions build a new recognizer, with every culture's regexes, on each call: for English
 * numbers that was ~3 ms a call against ~0.3 ms with the model kept (measured, see bench:nlu).
 * Same signatures as the suite's functions, so call sites read the same.
 */
const cache = new Map<string, IModel | IDateTimeModel>();

function cached<T extends IModel | IDateTimeModel>(key: string, build: () => T): T {
  let model = cache.get(key) as T | undefined;
  if (!model) {
    model = build();
    cache.set(key, model);
  }
  return model;
}

export function recognizeNumber(query: string, culture: string): ModelResult[] {
  return cached(`number:${culture}`, () => new NumberRecognizer(culture).getNumberModel(culture, true)).parse(query);
}

export function recognizeOrdinal(query: string, culture: string): ModelResult[] {
  return cached(`ordinal:${culture}`, () => new NumberRecognizer(culture).getOrdinalModel(culture, true)).parse(query);
}

export function recognizeCurrency(query: string, culture: string): ModelResult[] {
  return cached(`currency:${culture}`, () => buildCurrencyModel(culture)).parse(query);
}

type UnitExtractorInternals = {
  extract(source: string): unknown[];
  suffixRegexes?: Set<RegExp>;
  prefixRegexes?: Set<RegExp>;
  config?: { suffixList?: Map<string, string>; prefixList?: Map<string, string> };
};
type MergedExtractorInternals = { innerExtractor?: UnitExtractorInternals };
type UnitModelInternals = { extractorParsersMap?: Map<object, unknown> };

/** The number extractors of the currency models (their results depend on the text alone). */
const NUMBER_EXTRACTORS = ['ChineseNumberExtractor', 'EnglishNumberExtractor'];

/** A unit's regex (the library's) and the bare alternation of its names, which every match of it contains. */
interface UnitRegex {
  regex: RegExp;
  names: RegExp;
  /** The first characters of its names and their upper case: a text without any of them cannot hold a name. */
  firsts: string[] | undefined;
}

const escapeRegExp = (s: string) => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/**
 * The library's regexes of one unit list, each with its names alone: `undefined` when the list and the
 * regexes do not line up (another library version).
 */
function unitRegexes(regexes: Set<RegExp> | undefined, list: Map<string, string> | undefined): UnitRegex[] | undefined {
  const all = [...(regexes ?? [])];
  const names = [...(list?.values() ?? [])];
  if (all.length !== names.length) return undefined;
  return all.map((regex, i) => {
    const words = (names[i] ?? '').split('|');
    // Without the u flag, /i compares characters by their upper case (String#toUpperCase of one code unit).
    const exact = words.every((w) => w.length > 0) && !/[uv]/.test(regex.flags);
    return {
      regex,
      // Same flags (case folding) as the library's regex, without g/y: test() keeps no state.
      names: new RegExp(`(?:${words.map(escapeRegExp).join('|')})`, regex.flags.replace(/[gy]/g, '')),
      firsts: exact ? [...new Set(words.flatMap((w) => [w.charAt(0), w.charAt(0).toUpperCase()]))] : undefined,
    };
  });
}

/** The units whose names may occur in one of `texts`, in their order. */
function unitsIn(units: UnitRegex[], texts: string[]): Set<RegExp> {
  const chars = new Set<string>();
  for (const t of texts) {
    for (let i = 0; i < t.length; i += 1) {
      const c = t.charAt(i);
      chars.add(c);
      chars.add(c.toUpperCase());
    }
  }
  const out = new Set<RegExp>();
  for (const u of units) {
    if (u.firsts && !u.firsts.some((c) => chars.has(c))) continue;
    if (texts.some((t) => u.names.test(t))) out.add(u.regex);
  }
  return out;
}

/**
 * The currency extractor with, on each call, only the unit regexes whose names occur in the text. The
 * library runs every unit regex (211 Chinese currencies, 23 prefixes) over the whole text once or twice
 * per number it found, through XRegExp: 2-10 ms for a Chinese message with a price range and a few
 * durations ("门票50-100元，游玩时间在2小时 - 3小时"), the tail of bench:nlu's zh-CN latency. A unit regex
 * is its names, optionally in brackets, between the culture's boundary assertions, so it can only match
 * (in the text or in any part of it) where one of its names occurs; the extractor replaces a comma with
 * a space before it looks again, so the names are looked for in that text too. Order is kept, so the
 * results are the library's (test/nlu/recognizersSpeed.test.ts).
 */
function gateUnitExtractor(inner: UnitExtractorInternals): UnitExtractorInternals {
  const suffixes = unitRegexes(inner.suffixRegexes, inner.config?.suffixList);
  const prefixes = unitRegexes(inner.prefixRegexes, inner.config?.prefixList);
  if (!suffixes || !prefixes) return inner; // another library version: no gate
  const extract = (source: string) => {
    if (typeof source !== 'string') return inner.extract(source);
    const texts = source.includes(',') ? [source, source.replace(/,/g, ' ')] : [source];
    const own = overlay(inner, { suffixRegexes: unitsIn(suffixes, texts), prefixRegexes: unitsIn(prefixes, texts) });
    return inner.extract.call(own, source);
  };
  return overlay(inner, { extract });
}

/**
 * The currency model; its unit extractors only try the units named in the text (gateUnitExtractor).
 * `{ gate: false }` returns the library's model as it is.
 */
export function buildCurrencyModel(culture: string, options: { gate?: boolean } = {}): IModel {
  const library = new NumberWithUnitRecognizer(culture).getCurrencyModel(culture, true);
  if (options.gate === false) return library;
  // A currency extractor finds the text's numbers three times (then again after a comma, then to merge
  // "3元5角"): each number extractor keeps its last text's result.
  const model = layerReplacing(library, (o) => (isExtractor(o, NUMBER_EXTRACTORS) ? memoized(o) : undefined)) ?? library;
  const map = (model as unknown as UnitModelInternals).extractorParsersMap;
  if (!(map instanceof Map)) return library;
  const gated = new Map<object, unknown>();
  for (const [extractor, parser] of map) {
    const merged = extractor as MergedExtractorInternals;
    const plain = extractor as UnitExtractorInternals;
    if (merged.innerExtractor) gated.set(overlay(extractor, { innerExtractor: gateUnitExtractor(merged.innerExtractor) }), parser);
    else if (plain.suffixRegexes) gated.set(gateUnitExtractor(plain), parser);
    else return library; // another library version: no gate
  }
  return overlay(model, { extractorParsersMap: gated });
}

export function recognizePhoneNumber(query: string, culture: string): ModelResult[] {
  return cached(`phone:${culture}`, () => new SequenceRecognizer(culture).getPhoneNumberModel(culture, true)).parse(query);
}

export function recognizeEmail(query: string, culture: string): ModelResult[] {
  return cached(`email:${culture}`, () => new SequenceRecognizer(culture).getEmailModel(culture, true)).parse(query);
}

export function recognizeBoolean(query: string, culture: string): ModelResult[] {
  return cached(`boolean:${culture}`, () => buildBooleanModel(culture)).parse(query);
}

type ChoiceExtractorInternals = { extract(source: string): unknown[]; config?: { regexesMap?: Map<RegExp, string> } };

/**
 * The yes/no model. Its extractor tokenizes the whole text into graphemes before it looks for its
 * words (yes, ok, no, 👍 ...), which made it the costliest step of a one-word reply such as "English".
 * Its results can only come from matches of its own regexes (ChoiceExtractor.extract), so on ASCII text
 * (where the library's diacritics pass changes nothing) the extractor runs only if one of them matches:
 * the same results, checked in test/nlu/recognizersSpeed.test.ts. `{ gate: false }`: the library's model.
 */
export function buildBooleanModel(culture: string, options: { gate?: boolean } = {}): IModel {
  const model = new ChoiceRecognizer(culture).getBooleanModel(culture, true);
  if (options.gate === false) return model;
  const inner = (model as unknown as { extractor?: ChoiceExtractorInternals }).extractor;
  // Non-global copies: test() then keeps no lastIndex between calls.
  const regexes = [...(inner?.config?.regexesMap?.keys() ?? [])].map((re) => new RegExp(re.source, re.flags.replace(/[gy]/g, '')));
  if (!inner || regexes.length === 0) return model; // another library version: no gate
  const mayMatch = (source: string) => /[^\p{ASCII}]/u.test(source) || regexes.some((re) => re.test(source.toLowerCase()));
  const extract = (source: string) => (mayMatch(source) ? inner.extract(source) : []);
  return overlay(model, { extractor: overlay(inner, { extract }) });
}

export function recognizeDateTime(query: string, culture: string, _options: undefined, referenceDate: Date): ModelResult[] {
  return cached(`datetime:${culture}`, () => buildDateTimeModel(culture)).parse(query, referenceDate);
}

/**
 * Words without which an English text holds no time of day: a clock time or range (3:30, 5pm, 17h, 9-11), a part
 * of the day, now/recently, a time unit, "half past"/"quarter to", "end of", or a
 * preposition before a number, in figures or words ("at 5", "at six", "between 2 and 4"). The library's four time-of-day
 * extractors run only on texts with one of them.
 */
export const EN_TIME_HINT =
  /\d\s*[:\-–~]\s*\d|\d\s*(?:a|p)\.?\s*m\b|\d\s*h\b|\b(?:now|asap|currently|recently|tonight|today|morning|afternoon|evening|night|noon|midday|midnight|lunch(?:time)?|daytime|eod|o'?clock|hours?|hrs?|minutes?|mins?|seconds?|secs?|past|quarter|half)\b|\bend\s+of\b|\b(?:at|by|after|before|around|about|until|till|from|to|between|and|since)\s+(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b)/i;

const EN_TIME_OF_DAY_EXTRACTORS = ['timeExtractor', 'timePeriodExtractor', 'dateTimeExtractor', 'dateTimePeriodExtractor'] as const;

type ModelInternals = { extractor?: { config?: Record<string, unknown> } };

/**
 * The date-time model; for English, its merged extractor skips the four time-of-day extractors
 * (time, time range, date+time, date+time range) on text without a time hint. On "i paid two days
 * ago and there" they were half the model's work for nothing; bench:nlu's en-US p99 before/after is
 * in the README. test/nlu/recognizersSpeed.test.ts checks, over every English training and held-out
 * message and a list of date/time phrases, that the result is the library's, unchanged.
 *
 * The gate is a layer over the library's model, merged extractor and its configuration (overlay):
 * `{ gate: false }` returns the library's model as it is.
 */
export function buildDateTimeModel(culture: string, options: { gate?: boolean } = {}): IDateTimeModel {
  const model = new DateTimeRecognizer(culture).getDateTimeModel(culture, true);
  if (options.gate === false) return model;
  if (culture === Culture.Chinese) return withExtractionMemos(model, [], ZH_TEXT_AND_DATE_EXTRACTORS, ZH_SHARED_TEXT_ONLY_EXTRACTORS);
  if (culture !== Culture.English) return model;
  return withTimeOfDayGate(withExtractionMemos(model, EN_TEXT_ONLY_EXTRACTORS, EN_TEXT_AND_DATE_EXTRACTORS));
}

function withTimeOfDayGate(model: IDateTimeModel): IDateTimeModel {
  const extractor = (model as unknown as ModelInternals).extractor;
  const config = extractor?.config;
  if (!extractor || !config) return model; // another library version: no gate
  const gatedExtractors: Record<string, unknown> = {};
  for (const name of EN_TIME_OF_DAY_EXTRACTORS) {
    const inner = config[name] as GateableExtractor | undefined;
    if (!inner || typeof inner.extract !== 'function') return model;
    const extract = (source: string, referenceDate?: Date) => (EN_TIME_HINT.test(source) ? inner.extract(source, referenceDate) : []);
    gatedExtractors[name] = overlay(inner, { extract });
  }
  return overlay(model, { extractor: overlay(extractor, { config: overlay(config, gatedExtractors) }) });
}

/** Extractors whose result depends on the text alone. */
const EN_TEXT_ONLY_EXTRACTORS = ['BaseDurationExtractor', 'EnglishCardinalExtractor', 'EnglishIntegerExtractor', 'EnglishOrdinalExtractor'];
/**
 * Chinese duration extractors are all built alike, with no argument, but their likenesses differ (each
 * holds parts of its owner's): they share one memo, which served them before the likenesses did.
 */
const ZH_SHARED_TEXT_ONLY_EXTRACTORS = ['ChineseDurationExtractor'];
/** Extractors whose result depends on the text and the reference date. */
const EN_TEXT_AND_DATE_EXTRACTORS = ['BaseDateExtractor', 'BaseTimeExtractor'];
const ZH_TEXT_AND_DATE_EXTRACTORS = ['ChineseDateExtractor', 'ChineseDateTimeExtractor'];

/**
 * The date-time model with each date, duration and number extraction done once per text. The merged
 * extractor and parser hold many date, duration and number extractors, each built alike by its own
 * configuration, and each asks about the same text:
 * - English, on the 120 slowest messages of bench:nlu: one parse ran the date extractor 777 times for 146
 *   texts, the duration extractor 1357 times for 151 texts, the cardinal number extractor 1379 times for
 *   169 texts (half of the model's time);
 * - Chinese: 13 duration extractions of "均消费是100-150元" (half of the model's time, 1-2 ms a window),
 *   and on the 60 slowest messages 482 date extractions for 61 texts.
 * Extractors that are built alike (the same classes, regexes and values all the way down: `likeness`)
 * share one memo of their last texts' results; the date and time extractors' memos also hold the
 * reference date, which their results depend on. Callers get their own copies (they change what they
 * get: pop(), start/length). Layered over the library's objects (layerReplacing), which stay as they are;
 * results are the library's (test/nlu/recognizersSpeed.test.ts).
 */
function withExtractionMemos(model: IDateTimeModel, textOnly: string[], textAndDate: string[], sharedTextOnly: string[] = []): IDateTimeModel {
  const memos = new Map<string, ResultMemo>();
  const shared = resultMemo(16);
  const memoFor = (o: object) => {
    const key = likeness(o);
    let memo = memos.get(key);
    if (!memo) {
      memo = resultMemo(16);
      memos.set(key, memo);
    }
    return memo;
  };
  const result = layerReplacing(model, (o, layered) => {
    const extractor = layered as GateableExtractor;
    if (isExtractor(o, sharedTextOnly)) return memoized(extractor, shared);
    if (isExtractor(o, textOnly)) return memoized(extractor, memoFor(o));
    if (isExtractor(o, textAndDate)) return memoized(extractor, memoFor(o), true);
    return undefined;
  });
  return result ?? model;
}
