import type { Choice } from 'botbuilder-dialogs';
import { foldText } from '../../src/nlu/normalize';

/**
 * What a customer may call a thing by, longest first: its names, their words ("headphones"), and
 * every run of two or more Han characters inside them ("耳机" of "降噪蓝牙耳机").
 */
export function nameParts(names: string[]): string[] {
  const parts = new Set<string>();
  for (const name of names.map(foldText)) {
    parts.add(name);
    for (const word of name.split(/[^\p{L}\p{N}]+/u)) if (word.length >= 3 && /^[a-z]+$/.test(word)) parts.add(word);
    for (const run of name.match(/\p{Script=Han}{2,}/gu) ?? []) {
      for (let i = 0; i < run.length; i++) for (let j = i + 2; j <= run.length; j++) parts.add(run.slice(i, j));
    }
  }
  return [...parts].sort((a, b) => b.length - a.length);
}

/**
 * What is left of a message without the names in it and the words around a reference (`fillers`:
 * Latin ones as whole words, Han ones anywhere): "电热水壶那个" leaves nothing, "我想把电热水壶退掉"
 * leaves "我想把 退掉".
 */
export function withoutNames(text: string, names: string[], fillers: string[]): { han: number; letters: number } {
  let rest = foldText(text);
  for (const part of nameParts(names)) rest = rest.split(part).join(' ');
  const folded = fillers.map(foldText).sort((a, b) => b.length - a.length);
  for (const w of folded.filter((f) => !/^[a-z']+$/.test(f))) rest = rest.split(w).join(' ');
  const words = rest.split(/[^\p{L}\p{N}']+/u).filter((w) => w && !folded.includes(w));
  const joined = words.join('');
  return { han: joined.match(/\p{Script=Han}/gu)?.length ?? 0, letters: joined.match(/[a-z]/g)?.length ?? 0 };
}

/** True when an answer to "which one?" says more than which one ("把电热水壶退掉", not "电热水壶那个"). */
export function saysMoreThanChoice(text: string, choices: readonly (string | Choice)[], fillers: string[]): boolean {
  const names = choices.flatMap((c) => (typeof c === 'string' ? [c] : [c.value, typeof c.action?.title === 'string' ? c.action.title : '', ...(c.synonyms ?? [])])).filter(Boolean);
  const { han, letters } = withoutNames(text, names, fillers);
  return han >= 2 || letters >= 6;
}

/** True when the message names one of `names` or a part of one ("台灯" of "LED护眼台灯", "lamp" of "LED desk lamp"). */
export function mentionsName(text: string, names: string[]): boolean {
  const folded = foldText(text);
  return nameParts(names).some((part) => (/^[a-z0-9 ]+$/.test(part) ? new RegExp(`\\b${part}\\b`).test(folded) : folded.includes(part)));
}
