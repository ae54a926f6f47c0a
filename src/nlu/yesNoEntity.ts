import type { Entity, Locale } from './types';

/** Chinese negatives the library does not know (不要, 没有, 否 ...), only at the start of a short reply. */
const ZH_NEGATIVE =
  /^(?:[亲嗯呃额哦噢啊]+[，,、\s]*)?(不要了?|不用了?|没有了?|没了|否|不需要|不必了?|不是|不对|算了|不了|没)(?=$|[\s，,。.!！~～了啊呀吧哈的])/;
const ZH_POSITIVE_EXTRA = /^(?:[亲嗯呃额哦噢啊]+[，,、\s]*)?(要的|需要|嗯嗯|恩恩|没问题|成|中|可)(?=$|[\s，,。.!！~～了啊呀吧哈的])/;
const EN_NEGATIVE_EXTRA = /^(nah|no way|not really|negative)\b/i;

/** Yes / no words at the start of a short reply that recognizers-text misses. */
export function customBooleans(text: string, locale: Locale): Entity[] {
  const trimmedStart = text.length - text.trimStart().length;
  const body = text.trimStart();
  const tries: [RegExp, boolean][] =
    locale === 'zh-CN' ? [[ZH_NEGATIVE, false], [ZH_POSITIVE_EXTRA, true]] : [[EN_NEGATIVE_EXTRA, false]];
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
