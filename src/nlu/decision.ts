import { NLU_CONFIDENCE_THRESHOLD } from './localRecognizer';
import type { Intent, IntentScore } from './types';

/**
 * What the bot does with a recognition: route to the intent's dialog, ask which of two intents the
 * customer means (two buttons), or say it did not understand. The root dialog (dialogs/mainDialog.ts)
 * acts on it and bench:nlu measures it ("routed accuracy"), so both use this one function.
 */
export type Decision =
  | { kind: 'route'; intent: Intent }
  | { kind: 'ask'; intents: [Intent, Intent] }
  | { kind: 'notUnderstood' };

export interface DecisionPolicy {
  /** Below this top score the bot does not act on the top intent alone. */
  threshold: number;
  /** Two requests whose scores are closer than this are asked about, not guessed. */
  margin: number;
  /** Together the two must score at least this for the question to make sense. */
  pairFloor: number;
  /**
   * Small talk and out-of-scope messages, which the root dialog answers with a line and the menu,
   * are acted on from this lower score: a wrong guess there costs the customer nothing more
   * than "I didn't understand" would (the menu comes either way), and says something truer.
   */
  softThreshold: number;
}

/**
 * Intents that are no request to a dialog (answered in the root dialog, or nothing at all): never
 * one of the two buttons of "which one do you mean?".
 */
export const NOT_ASKABLE: ReadonlySet<Intent> = new Set<Intent>(['none', 'greeting', 'goodbye_thanks', 'chitchat', 'out_of_scope']);

/** Intents answered in the root dialog itself with a line and the menu (see DecisionPolicy.softThreshold). */
export const ANSWERED_IN_ROOT: ReadonlySet<Intent> = new Set<Intent>(['chitchat', 'out_of_scope']);

/**
 * The policy chosen on the project's held-out set (bench:nlu's "routed" tables): act alone at 0.4
 * (NLU_CONFIDENCE_THRESHOLD); ask between two requests when they are within 0.2 of each other and
 * hold at least 0.55 together.
 */
export const DEFAULT_DECISION_POLICY: DecisionPolicy = { threshold: NLU_CONFIDENCE_THRESHOLD, margin: 0.2, pairFloor: 0.55, softThreshold: 0.3 };

/** `ranked`: the recognizer's intents, best first (RecognizerResult.intents). */
export function decide(ranked: readonly IntentScore[], policy: DecisionPolicy = DEFAULT_DECISION_POLICY): Decision {
  const [first, second] = ranked;
  if (!first) return { kind: 'notUnderstood' };
  const askable = (s: IntentScore | undefined): s is IntentScore => s !== undefined && !NOT_ASKABLE.has(s.intent) && s.score > 0;
  if (
    askable(first) &&
    askable(second) &&
    first.score - second.score < policy.margin &&
    first.score + second.score >= policy.pairFloor
  ) {
    return { kind: 'ask', intents: [first.intent, second.intent] };
  }
  if (first.score >= policy.threshold && first.intent !== 'none') return { kind: 'route', intent: first.intent };
  if (first.score >= policy.softThreshold && ANSWERED_IN_ROOT.has(first.intent)) return { kind: 'route', intent: first.intent };
  return { kind: 'notUnderstood' };
}
