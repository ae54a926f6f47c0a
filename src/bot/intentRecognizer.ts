import { foldText } from '../nlu/normalize';
import type { Locale } from '../config/locales';
import type { I18n } from '../i18n/i18n';
import { createRecognizer, warmUp, type Recognizer } from '../nlu';

let shared: Promise<Recognizer> | undefined;

/**
 * The trained recognizer (src/nlu), trained once per process: the composition root awaits it at
 * start-up, and an app started again in the same process (tests, restarts) reuses the trained model.
 */
export function sharedRecognizer(): Promise<Recognizer> {
  shared ??= (async () => {
    const recognizer = createRecognizer();
    await recognizer.init();
    // recognizers-text compiles lazily; no customer turn should pay for the first call.
    warmUp();
    return recognizer;
  })().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return shared;
}

/**
 * Commands from the locale files' `<file>.keywords.<command>` lists (any locale file may contribute):
 * the language switch, and the interruptions (help, cancel, start over, talk to a person) that work
 * at every step of every dialog. The trained recognizer handles everything else.
 */
export class KeywordMatcher {
  private readonly exact = new Map<string, string>();
  private readonly phrases: { command: string; keyword: string }[] = [];
  /** Words around a command that leave it a command ("我要转人工", "can I talk to a person please"): `<file>.commandWords`. */
  private readonly fillers: string[] = [];
  private readonly acknowledgements = new Set<string>();

  constructor(i18n: I18n, locales: readonly Locale[]) {
    for (const locale of locales) {
      for (const key of i18n.keys(locale).filter((k) => /^\w+\.keywords\.\w+$/.test(k))) {
        const command = key.split('.')[2];
        for (const keyword of i18n.list(locale, key)) {
          const normalized = normalizeCommand(keyword);
          if (!this.exact.has(normalized)) this.exact.set(normalized, command);
          this.phrases.push({ command, keyword: normalized });
        }
      }
      for (const key of i18n.keys(locale).filter((k) => /^\w+\.commandWords$/.test(k))) this.fillers.push(...i18n.list(locale, key).map(normalizeCommand));
      if (i18n.has(locale, 'dialogs.acknowledgements')) for (const word of i18n.list(locale, 'dialogs.acknowledgements')) this.acknowledgements.add(normalizeCommand(word));
    }
    // Longest first, so "talk to a person" beats a shorter keyword inside it.
    this.phrases.sort((a, b) => b.keyword.length - a.keyword.length);
    this.fillers.sort((a, b) => b.length - a.length);
  }

  /** True when the whole message only acknowledges ("好的", "ok", "got it"): `dialogs.acknowledgements`. */
  acknowledges(text: string): boolean {
    return this.acknowledgements.has(normalizeCommand(text));
  }

  /** The command the whole message is (e.g. "cancel", "取消。"), or undefined. */
  command(text: string): string | undefined {
    return this.exact.get(normalizeCommand(text));
  }

  /**
   * True when the message *is* the command: the whole message, or a keyword with only polite words
   * around it ("我要转人工", "can I talk to a person please"). "希望找个真人打电话给我处理" mentions a
   * person but is an answer, not a command.
   */
  isCommand(text: string, command: string): boolean {
    if (this.command(text) === command) return true;
    const lower = normalizeCommand(text);
    if (lower.length > MAX_COMMAND_MESSAGE) return false;
    return this.phrases.some((p) => {
      if (p.command !== command || !contains(lower, p.keyword)) return false;
      let rest = ` ${lower.replace(p.keyword, ' ')} `;
      for (const filler of this.fillers) rest = /^[a-z' ]+$/.test(filler) ? rest.replace(new RegExp(`(?<=[^a-z'])${filler}(?=[^a-z'])`, 'g'), ' ') : rest.split(filler).join(' ');
      return !/[\p{L}\p{N}]/u.test(rest);
    });
  }

  /**
   * True when a message of any length names the command in one of its unmistakable phrases ("talk to
   * a person, do you have this jacket in XL?"): the request inside a story, where single words
   * ("agent", "human") could mean something else.
   */
  namesPhrase(text: string, command: string): boolean {
    const lower = normalizeCommand(text);
    return this.phrases.some((p) => p.command === command && isPhrase(p.keyword) && contains(lower, p.keyword));
  }

  /** True when a message of any length mentions one of a command's keywords. */
  mentionsAnywhere(text: string, command: string): boolean {
    const lower = normalizeCommand(text);
    return this.phrases.some((p) => p.command === command && contains(lower, p.keyword));
  }

  /** True when the message mentions one of a command's keywords ("我要转人工", "can I talk to a person please"). */
  mentions(text: string, command: string): boolean {
    return normalizeCommand(text).length <= MAX_COMMAND_MESSAGE && this.mentionsAnywhere(text, command);
  }
}

/**
 * Keywords clear enough to count inside a long message: several words ("talk to a person", not
 * "agent"), or three or more Han characters ("转人工", not "主管").
 */
function isPhrase(keyword: string): boolean {
  return /^[a-z' ]+$/.test(keyword) ? keyword.trim().includes(' ') : [...keyword.replace(/[^\p{Script=Han}]/gu, '')].length >= 3;
}

function contains(lower: string, keyword: string): boolean {
  return /^[a-z ]+$/.test(keyword) ? new RegExp(`\\b${keyword}\\b`).test(lower) : lower.includes(keyword);
}

/** Longer messages are requests with a story, not commands: the recognizer reads them. */
const MAX_COMMAND_MESSAGE = 40;

function normalizeCommand(text: string): string {
  const lower = foldText(text).trim().replace(/\s+/g, ' ');
  // "取消。" and "help!" are the commands; "?" alone stays "?".
  return lower.replace(/[\s!！。.?？~～,，]+$/u, '') || lower;
}
