import type { Entity, Locale } from './types';

/** Chinese negatives the library does not know (不要, 没有, 否 ...), only at the start of a short reply. */
const ZH_NEGATIVE =
  /^(?:[亲嗯呃额哦噢啊]+[，,、\s]*)?(不要了?|不用了?|没有了?|没了|否|不需要|不必了?|不是|不对|算了|不了|没)(?=$|[\s，,。.!！~～了啊呀吧哈的])/;
const ZH_POSITIVE_EXTRA =
  /^(?:[亲嗯呃额哦噢啊]+[，,、\s]*)?(确定|确认|对的|对|没错|要的|需要|嗯嗯|恩恩|嗯|恩|没问题|好吧|好滴|好嘞|好哒|行吧|可以的|ok|okay|成|中|可)(?=$|[\s，,。.!！~～了啊呀吧哈的提取])/i;
const EN_NEGATIVE_EXTRA = /^(nah|nope|no way|not really|negative|no thanks|don't|do not)\b/i;
const EN_POSITIVE_EXTRA = /^(okay|ok|go ahead|of course|correct|right|that's right|yup|yeah|sure|absolutely|please do|do it|confirm)\b/i;
/** Replies that are neither: "不确定", "not sure", "I don't know" (recognizers-text reads "not sure" as a yes). */
const UNSURE = /^(?:[亲嗯呃额哦噢啊]+[，,、\s]*)?(不确定|不知道|不清楚|说不准|not sure|unsure|i don't know|dunno|maybe)/i;

/** Yes / no words at the start of a short reply that recognizers-text misses; 'unsure' for a reply that is neither. */
export function customBooleans(text: string, locale: Locale): Entity[] | 'unsure' {
  const trimmedStart = text.length - text.trimStart().length;
  const body = text.trimStart();
  if (UNSURE.test(body)) return 'unsure';
  const tries: [RegExp, boolean][] =
    locale === 'zh-CN' ? [[ZH_NEGATIVE, false], [ZH_POSITIVE_EXTRA, true]] : [[EN_NEGATIVE_EXTRA, false], [EN_POSITIVE_EXTRA, true]];
  for (const [re, value] of tries) {
    const m = re.exec(body);
    const word = m?.[1];
    if (m && word) {
      const start = trimmedStart + m[0].length - word.length;
      return [{ type: 'boolean', text: word, start, end: start + word.length, value }];
    }
  }
  return [];
}
