import { SUPPORTED_LOCALES } from '../src/config/locales';
import type { KeywordMatcher } from '../src/bot/intentRecognizer';
import type { I18n } from '../src/i18n/i18n';

/** Routes a keyword reaches by a topic word (coupons, invoices, warranty) rather than by a request. */
export const TOPIC_ROUTES = new Set(['faq']);
/** Requests defined by their own words (their keyword lists), which a topic word wins over when none of those words is said. */
const TOPIC_OVER = new Set(['points_membership', 'ticket_status']);
/** What the recognizer may say of a message that is no request it understood. */
const NO_REQUEST = new Set(['greeting', 'goodbye_thanks', 'chitchat', 'out_of_scope']);

/** A test for a word or phrase in a lower-cased message: whole words for Latin script, anywhere for Chinese (built once, run per message). */
function wordTest(word: string): (lower: string) => boolean {
  const w = word.toLowerCase();
  if (!/^[a-z ]+$/.test(w)) return (lower) => lower.includes(w);
  const re = new RegExp(`\\b${w}\\b`);
  return (lower) => re.test(lower);
}

/**
 * When a message is about one of the shop's FAQ topics although the recognizer read something else
 * (short messages reach topics through their keywords first, in the root dialog):
 * - it took the topic for a request defined by its own words (points, tickets) and none of those
 *   words is said: "I have a coupon from your newsletter but can't see where to enter it at checkout"
 *   is the coupons answer, not the points;
 * - it found no request (unsure, small talk, someone else's business) in a message that names one of
 *   the shop's own topics (faq.shopTopicWords: a coupon, price protection, a warranty, an invoice;
 *   not a place, which travel talk names too).
 */
export class TopicWords {
  private readonly shopWords: ((lower: string) => boolean)[];
  private readonly policyQuestions: { topic: string; words: ((lower: string) => boolean)[] }[];
  private readonly requestMarkers: ((lower: string) => boolean)[];

  constructor(
    i18n: I18n,
    private readonly keywords: KeywordMatcher,
  ) {
    this.shopWords = SUPPORTED_LOCALES.flatMap((l) => i18n.list(l, 'faq.shopTopicWords')).map(wordTest);
    this.requestMarkers = SUPPORTED_LOCALES.flatMap((l) => i18n.list(l, 'faq.requestMarkers')).map(wordTest);
    const topics = [...new Set(SUPPORTED_LOCALES.flatMap((l) => i18n.keys(l).map((k) => /^faq\.policyQuestions\.(\w+)$/.exec(k)?.[1]).filter((t): t is string => t !== undefined)))];
    this.policyQuestions = topics.map((topic) => ({
      topic,
      words: SUPPORTED_LOCALES.flatMap((l) => (i18n.has(l, `faq.policyQuestions.${topic}`) ? i18n.list(l, `faq.policyQuestions.${topic}`) : [])).map(wordTest),
    }));
  }

  /**
   * A question about the rules of a request rather than the request itself ("退货运费谁出", "who pays
   * for return shipping?", "人工客服几点上班"): the FAQ topic that answers it (faq.policyQuestions), else
   * undefined; a message that asks for something (faq.requestMarkers: "我要", "I'd like to") is a request.
   */
  policyTopic(text: string): string | undefined {
    const lower = text.toLowerCase();
    // "我要七天无理由退货", "I'd like to return it under your return policy": a request in the policy's words.
    if (this.requestMarkers.some((test) => test(lower))) return undefined;
    return this.policyQuestions.find(({ words }) => words.some((test) => test(lower)))?.topic;
  }

  /** True when the message belongs to the FAQ rather than to `intent` (undefined: nothing sure). */
  overrule(text: string, intent: string | undefined): boolean {
    if (intent && TOPIC_OVER.has(intent)) return this.keywords.mentionsAnywhere(text, 'faq') && !this.keywords.mentionsAnywhere(text, intent);
    if (!intent || NO_REQUEST.has(intent)) {
      const lower = text.toLowerCase();
      return this.shopWords.some((test) => test(lower));
    }
    return false;
  }
}
