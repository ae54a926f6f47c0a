import { foldText } from '../../nlu/normalize';
import { SUPPORTED_LOCALES } from '../../config/locales';
import type { I18n } from '../../i18n/i18n';

/** A CSAT score, 1 (very dissatisfied) to 5 (very satisfied). */
export type Score = 1 | 2 | 3 | 4 | 5;

const LEVELS: Score[] = [1, 2, 3, 4, 5];

/** Emoji read as a rating whatever the language (a message of emoji only). */
const EMOJI: [string, Score][] = [
  ['👍', 5], ['😍', 5], ['🥰', 5], ['💯', 5], ['❤', 5], ['😄', 5], ['😀', 5], ['👏', 5],
  ['😊', 4], ['🙂', 4], ['👌', 4],
  ['😐', 3], ['😶', 3], ['🤔', 3],
  ['🙁', 2], ['😕', 2], ['😞', 2], ['👎', 2], ['😒', 2],
  ['😡', 1], ['😠', 1], ['🤬', 1], ['💩', 1], ['😤', 1],
];
const STARS = /^[★⭐🌟✨]+$/u;
const ZH_NUMERALS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
/** Most of a message that may be left once the rating words are taken out ("服务", "the service was"). */
const MAX_LEFT_CJK = 4;
const MAX_LEFT_WORDS = 3;

interface Phrase {
  text: string;
  score: Score;
  latin: boolean;
}

/**
 * Reads survey answers typed in either language: digits and numerals with or without a unit
 * ("5", "五星", "4分", "4/5", "3 stars"), stars and emoji, and rating words from the locale files'
 * `surveys.vocabulary` (the longest phrase wins; a negation before it turns praise into 2 and blame
 * into 3, an intensifier moves 4 to 5 and 2 to 1: "很满意" 5, "不太好" 2, "not bad" 3, "really bad" 1).
 * A longer message that merely contains such a word ("物流太慢了，我的订单到哪了") is not an answer.
 */
export class SurveyAnswers {
  private readonly phrases: Phrase[];
  private readonly negations: string[];
  private readonly intensifiers: string[];
  private readonly fillers: string[];
  private readonly skips: Set<string>;
  private readonly optOuts: string[];
  /** "Stop" words and survey words, each as a test: English words whole, Chinese ones anywhere. */
  private readonly optOutStops: ((t: string) => boolean)[];
  private readonly optOutTopics: ((t: string) => boolean)[];

  constructor(i18n: I18n) {
    const list = (key: string) => SUPPORTED_LOCALES.flatMap((l) => i18n.list(l, `surveys.vocabulary.${key}`).map(normalize));
    this.phrases = LEVELS.flatMap((score) => list(String(score)).map((text) => ({ text, score, latin: /^[a-z0-9' -]+$/.test(text) }))).sort(
      (a, b) => b.text.length - a.text.length,
    );
    for (const score of LEVELS) {
      for (const locale of SUPPORTED_LOCALES) this.phrases.push({ text: normalize(i18n.t(locale, `surveys.scale.${score}`)), score, latin: locale === 'en-US' });
    }
    this.phrases.sort((a, b) => b.text.length - a.text.length);
    this.negations = list('negation');
    this.intensifiers = list('intensifier');
    this.fillers = list('filler').sort((a, b) => b.length - a.length);
    this.skips = new Set([...list('skip'), ...SUPPORTED_LOCALES.map((l) => normalize(i18n.t(l, 'surveys.skip')))]);
    this.optOuts = list('optOut');
    const matcher = (w: string) => {
      if (!/^[a-z' ]+$/.test(w)) return (t: string) => t.includes(w);
      const re = new RegExp(`(^|[^a-z])${escape(w)}($|[^a-z])`);
      return (t: string) => re.test(t);
    };
    this.optOutStops = list('optOutStop').map(matcher);
    this.optOutTopics = list('optOutTopic').map(matcher);
  }

  /** The 1-5 score a message gives, or undefined when it is not a rating. */
  score(text: string): Score | undefined {
    const t = normalize(text);
    if (!t) return undefined;
    const stars = t.replace(/[\s\ufe0f]/gu, '');
    if (STARS.test(stars)) return clampScore([...stars].length);
    const number = numberAnswer(t);
    // "10/10", "8 out of 10": a score out of ten, halved onto the 1-5 scale.
    if (number !== undefined && OUT_OF_TEN.test(t)) return clampScore(Math.round(number / 2));
    if (number !== undefined) return number >= 1 && number <= 5 ? (number as Score) : undefined;
    const emoji = emojiOnly(t);
    if (emoji !== undefined) return emoji;
    return this.wordScore(t);
  }

  /** The 0-10 net-promoter answer, or undefined. */
  nps(text: string): number | undefined {
    const n = numberAnswer(normalize(text));
    return n !== undefined && n >= 0 && n <= 10 ? n : undefined;
  }

  /** "Skip", "no thanks", "没有了": no comment. */
  isSkip(text: string): boolean {
    return this.skips.has(normalize(text));
  }

  /** "别再问了", "stop surveys", "以后别再发调查了": a phrase, or a "stop" word with a survey word, in a short message. */
  isOptOut(text: string): boolean {
    const t = normalize(text);
    if (t.length > 30) return false;
    if (this.optOuts.some((p) => t.includes(p))) return true;
    // The looser rule only for a short message: "我不想评价这个产品，我要退货" is a request, not an opt-out.
    if (t.length > (/\p{Script=Han}/u.test(t) ? 12 : 30)) return false;
    return this.optOutStops.some((m) => m(t)) && this.optOutTopics.some((m) => m(t));
  }

  private wordScore(t: string): Score | undefined {
    for (const phrase of this.phrases) {
      const at = findPhrase(t, phrase);
      if (at < 0) continue;
      const before = t.slice(0, at);
      const modifier = this.modifierBefore(before, phrase.latin);
      const rest = this.withoutFillers(`${modifier?.rest ?? before} ${t.slice(at + phrase.text.length)}`);
      if (!isShort(rest)) return undefined;
      if (modifier?.kind === 'negation') return phrase.score >= 4 ? 2 : phrase.score <= 2 ? 3 : phrase.score;
      if (modifier?.kind === 'intensifier') return phrase.score === 4 ? 5 : phrase.score === 2 ? 1 : phrase.score;
      return phrase.score;
    }
    return undefined;
  }

  /**
   * A negation or an intensifier within the two words (or three characters) before the phrase, and
   * what comes before it; a negation wins ("not very good", "不是很满意").
   */
  private modifierBefore(before: string, latin: boolean): { kind: 'negation' | 'intensifier'; rest: string } | undefined {
    for (const [kind, words] of [['negation', this.negations], ['intensifier', this.intensifiers]] as const) {
      if (latin) {
        const tokens = before.trim().split(/\s+/).filter(Boolean);
        for (let i = tokens.length - 1; i >= Math.max(0, tokens.length - 2); i--) {
          if (words.includes(tokens[i])) return { kind, rest: tokens.slice(0, i).join(' ') };
        }
        continue;
      }
      const tailStart = Math.max(0, before.length - 3);
      const tail = before.slice(tailStart);
      const word = words.filter((w) => tail.includes(w)).sort((a, b) => b.length - a.length)[0];
      if (word) return { kind, rest: before.slice(0, tailStart + tail.lastIndexOf(word)) };
    }
    return undefined;
  }

  private withoutFillers(text: string): string {
    let rest = ` ${text} `;
    for (const filler of this.fillers) {
      rest = /^[a-z']+$/.test(filler) ? rest.replace(new RegExp(`(?<=\\s)${escape(filler)}(?=\\s)`, 'g'), ' ') : rest.split(filler).join(' ');
    }
    return rest.replace(/\s+/g, ' ').trim();
  }
}

/** NFKC (full-width digits and letters), simplified Chinese ("很滿意" is "很满意"), lower case, no punctuation at the ends or doubled spaces. */
export function normalize(text: string): string {
  return foldText(text)
    .replace(/[\u3002\uff01\uff1f!?.,，、~～…:：;；"“”'‘’()（）]+$/gu, '')
    .replace(/^[\s"“”'‘’]+/u, '')
    .replace(/[,，。!！~～]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A number given out of ten ("10/10", "8 out of 10"). */
const OUT_OF_TEN = /(?:\/\s*10|out of (?:10|ten))$/;

/** "5", "5分", "五星", "4/5", "3 stars", "给4分", "4分吧", "rate it 4", "10分" -> the number; undefined otherwise. */
function numberAnswer(t: string): number | undefined {
  const m = /^(?:(?:我)?(?:给|打|评)?|(?:i(?:'d)? (?:give|rate)(?: it| you)?|rating|score|rate))\s*(10|\d|十|[零〇一二两三四五六七八九])\s*(?:分|星|颗星|stars?|points?|\/\s*(?:5|10)|out of (?:5|10|five|ten))?\s*(?:好评|差评)?\s*(?:吧|啦|哦|呀|呢|嘛)?$/u.exec(t);
  if (!m) return undefined;
  const raw = m[1];
  return /\d/.test(raw) ? Number(raw) : ZH_NUMERALS[raw];
}

function emojiOnly(t: string): Score | undefined {
  const compact = t.replace(/[\s\ufe0f\u200d]/gu, '');
  if (!/^\p{Extended_Pictographic}+$/u.test(compact)) return undefined;
  const found = EMOJI.filter(([e]) => compact.includes(e)).map(([, s]) => s);
  if (!found.length) return undefined;
  return clampScore(Math.round(found.reduce((a, b) => a + b, 0) / found.length));
}

function findPhrase(t: string, phrase: Phrase): number {
  if (!phrase.latin) return t.indexOf(phrase.text);
  const m = new RegExp(`(^|[^a-z0-9'])${escape(phrase.text)}(?=$|[^a-z0-9'])`).exec(t);
  return m ? m.index + m[1].length : -1;
}

function isShort(rest: string): boolean {
  const cjk = (rest.match(/\p{Script=Han}/gu) ?? []).length;
  const words = rest.replace(/\p{Script=Han}/gu, ' ').split(/\s+/).filter((w) => /[a-z0-9]/.test(w)).length;
  return cjk <= MAX_LEFT_CJK && words <= MAX_LEFT_WORDS && cjk + words <= MAX_LEFT_CJK;
}

function clampScore(n: number): Score {
  return Math.min(5, Math.max(1, n)) as Score;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
