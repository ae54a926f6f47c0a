import type { Choice } from 'botbuilder-dialogs';
import { SUPPORTED_LOCALES } from '../../src/config/locales';
import { normalizeAddress, normalizePhone } from '../../src/crm/contact';
import { foldText } from '../../src/nlu/normalize';
import type { I18n } from '../../src/i18n/i18n';
import type { PromptInput } from './kefuPrompt';
import { choiceTitle } from './kefuPrompt';

function same(a: string, b: string): boolean {
  return foldText(a.trim()) === foldText(b.trim());
}

/**
 * The choice an answer picks: a clicked or typed button title (or synonym, or value), an order number
 * among the choices' values, an ordinal ("第二个", "the second one"), a bare number ("2"), or a
 * message that contains exactly one of the titles ("质量问题吧").
 */
export function pickChoice(input: PromptInput): Choice | undefined {
  const { text, choices, recognition } = input;
  if (!text || choices.length === 0) return undefined;
  const exact = choices.find((c) => same(c.value, text) || same(choiceTitle(c), text) || (c.synonyms ?? []).some((s) => same(s, text)));
  if (exact) return exact;

  const entities = recognition?.entities ?? [];
  const numbers = entities.filter((e) => e.type === 'order_number').map((e) => String(e.value));
  const byNumber = choices.find((c) => numbers.includes(c.value.toUpperCase()));
  if (byNumber) return byNumber;

  const ordinal = entities.find((e) => e.type === 'ordinal');
  if (ordinal && typeof ordinal.value === 'number') return choices[ordinal.value - 1];
  const bare = entities.find((e) => e.type === 'number' && e.text.trim() === text.trim());
  if (bare && typeof bare.value === 'number' && Number.isInteger(bare.value)) return choices[bare.value - 1];

  const lower = foldText(text);
  if (LAST.test(lower)) return choices[choices.length - 1];
  const mentioned = choices.filter((c) => labels(c).some((s) => s.length >= 2 && lower.includes(foldText(s))));
  if (mentioned.length === 1) return mentioned[0];
  return mentioned.length === 0 ? byDistinctiveWords(lower, choices) : undefined;
}

/** "最后一个", "the last one": the last choice of the list. */
const LAST = /^(?:选|要)?最后(?:一|那)个|^(?:the )?last (?:one|option)$/;

function labels(c: Choice): string[] {
  return [choiceTitle(c), ...(c.synonyms ?? [])];
}

/** Words that say nothing about which choice is meant ("我要那个…的", "the one with the ..."). */
const STOP_HAN = new Set('的那个这一我你您要想是了吧呢啊嗯哦有把给就还在请帮单订选第款件它用呀吗么不没也说很太都好哈呃额否和与或及得地');
const STOP_WORDS = new Set(['the', 'one', 'ones', 'that', 'this', 'want', 'wanted', 'would', 'like', 'my', 'me', 'it', 'please', 'of', 'for', 'with', 'order', 'item', 'on', 'in', 'to', 'is', 'which', 'thing', 'product', 'an', 'and', 'about', 'get', 'got']);

/** The words of a text that can tell choices apart: Han characters one by one, Latin words of two letters or more. */
function words(text: string): string[] {
  const han = [...text.matchAll(/\p{Script=Han}/gu)].map((m) => m[0]).filter((c) => !STOP_HAN.has(c));
  const latin = [...text.matchAll(/[a-z][a-z0-9]*(?:-[a-z0-9]+)*/g)].map((m) => m[0]).filter((w) => w.length >= 2 && !STOP_WORDS.has(w));
  return [...han, ...latin.map(singular)];
}

function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/**
 * The choice a part of its label picks: "围巾" or "羊绒围巾" for "羊绒围巾 ×2", "the t-shirt",
 * "有杯子的那个单" for an order with a 马克杯, "修改邮箱" for "更正邮箱". Each word of the answer that
 * appears in one choice's label only is a point for it; the choice with the most points wins, and
 * a tie picks nothing (the prompt asks again).
 */
function byDistinctiveWords(lower: string, choices: Choice[]): Choice | undefined {
  const answer = words(lower);
  if (answer.length === 0) return undefined;
  const choiceWords = choices.map((c) => new Set(labels(c).flatMap((l) => words(foldText(l)))));
  const points = choices.map(() => 0);
  for (const word of new Set(answer)) {
    const holders = choiceWords.map((set, i) => (set.has(word) ? i : -1)).filter((i) => i >= 0);
    if (holders.length === 1) points[holders[0]] += 1;
  }
  const best = Math.max(...points);
  if (best === 0 || points.filter((p) => p === best).length > 1) return undefined;
  return choices[points.indexOf(best)];
}

/** The value of the picked choice. */
export function pickValue(input: PromptInput): string | undefined {
  return pickChoice(input)?.value;
}

export const YES = 'yes';
export const NO = 'no';

/**
 * Yes / no: a button (values YES / NO) clicked or typed, or a yes or no in the words people use, in
 * either language ("确定", "嗯 确定", "好的", "行", "不用了", "算了", "sure", "yep", "nope"). Never a
 * part of a button's label: "不确定" is not "确定取消".
 */
export function yesNo(input: PromptInput): boolean | undefined {
  const exact = input.choices.find((c) => same(c.value, input.text) || same(choiceTitle(c), input.text) || (c.synonyms ?? []).some((s) => same(s, input.text)));
  if (exact?.value === YES) return true;
  if (exact?.value === NO) return false;
  const answer = input.recognition?.entities.find((e) => e.type === 'boolean');
  return typeof answer?.value === 'boolean' ? answer.value : undefined;
}

/**
 * Free text within bounds (a description, a wish); trimmed. A Han character counts twice toward `min`:
 * it carries about a word, so "道歉" or "退款" is a whole wish where "ok" is not.
 */
export function freeText(min: number, max: number) {
  return (input: PromptInput): string | undefined => {
    const text = input.text.trim();
    const weight = text.length + (text.match(/\p{Script=Han}/gu)?.length ?? 0);
    if (weight < min || text.length > max) return undefined;
    // Something to read: letters, Han characters or digits, not only emoji or punctuation.
    return /[\p{L}\p{N}]/u.test(text) ? text : undefined;
  };
}

/** A phone number typed or recognized: Chinese mobile or international (E.164). */
export function parsePhone(input: PromptInput): string | undefined {
  const direct = normalizePhone(input.text);
  if (direct) return direct;
  const entity = input.recognition?.entities.find((e) => e.type === 'phone');
  return entity ? normalizePhone(entity.text) : undefined;
}

/**
 * Free text sorted into classes by cue words from the locale files (`cueKeys`: class -> key of a
 * list, read in every locale, so a reason typed in either language counts): the one class whose cues
 * the text mentions, or undefined when none or several do (the dialog then asks).
 */
export function classifier(i18n: I18n, cueKeys: Record<string, string>) {
  const cues = Object.entries(cueKeys).map(([value, key]) => ({
    value,
    words: SUPPORTED_LOCALES.flatMap((l) => (i18n.has(l, key) ? i18n.list(l, key) : [])).map(foldText),
  }));
  return (text: string): string | undefined => {
    // Traditional characters read as simplified ("品質有問題" is a quality problem).
    const lower = foldText(text);
    const hits = cues.filter((c) => c.words.some((w) => (/^[a-z' ]+$/.test(w) ? new RegExp(`\\b${w}\\b`).test(lower) : lower.includes(w))));
    return hits.length === 1 ? hits[0].value : undefined;
  };
}

/** A value the classifier could not place: the dialog asks the customer to confirm which it is. */
export const UNSURE = 'unsure';

/** A button, else the class of the words ("坏了啊 里面的棉都塌了": quality), else UNSURE for any other words. */
export function pickOrClassify(classify: (text: string) => string | undefined) {
  return (input: PromptInput): string | undefined => pickValue(input) ?? classify(input.text) ?? (freeText(2, 1000)(input) ? UNSURE : undefined);
}

/** Where a new address starts in a sentence: "改成 北京市…", "送到…", "change it to …", "new address: …". */
const ADDRESS_AFTER =
  /(?:改成|改为|改到|换成|换到|更改为|修改为|改寄到|送到|寄到|发到|新地址(?:是|为)?|地址(?:是|为)|(?:change|update)(?: it| the address)? to|(?:send|deliver|ship)(?: it)? to|new address(?: is)?)\s*[:：]?\s*(.+)$/iu;
const COURTESY_TAIL = /[，,。.!！\s]*(?:谢谢你?|多谢|麻烦了|麻烦你了|thanks?(?: you)?|please)[!！。.\s]*$/iu;

/** The address a sentence gives after its marker ("地址写错了 改成 北京市朝阳区建国路88号"), or undefined. */
export function addressIn(text: string): string | undefined {
  const m = ADDRESS_AFTER.exec(text);
  return m?.[1] ? normalizeAddress(m[1].replace(COURTESY_TAIL, '')) : undefined;
}

/** An address answer: the part after "改成 / change it to" when there is one, else the whole answer (5-200 characters). */
export function parseAddress(input: PromptInput): string | undefined {
  return addressIn(input.text) ?? normalizeAddress(input.text.replace(COURTESY_TAIL, ''));
}
