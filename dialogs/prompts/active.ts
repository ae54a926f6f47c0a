import type { DialogContext, PromptOptions } from 'botbuilder-dialogs';
import { KefuPrompt } from './kefuPrompt';

/** The innermost dialog waiting for this message (inside component dialogs). */
export function activeLeaf(dc: DialogContext): DialogContext {
  let leaf = dc;
  while (leaf.child) leaf = leaf.child;
  return leaf;
}

/** Whether the question waiting for this message is the prompt `promptId`. */
export function activePromptIs(dc: DialogContext, promptId: string): boolean {
  return activeLeaf(dc).activeDialog?.id === promptId;
}

/** The question waiting for this message (a KefuPrompt and its options), if one is. */
export function activePrompt(dc: DialogContext): { prompt: KefuPrompt<unknown>; options: PromptOptions } | undefined {
  const leaf = activeLeaf(dc);
  const prompt = leaf.activeDialog ? leaf.findDialog(leaf.activeDialog.id) : undefined;
  const options = (leaf.activeDialog?.state as { options?: PromptOptions } | undefined)?.options;
  return prompt instanceof KefuPrompt && options ? { prompt, options } : undefined;
}

/** Whether this turn's message answers the waiting question. */
export function promptUnderstands(dc: DialogContext): boolean {
  const active = activePrompt(dc);
  return active ? active.prompt.understands(dc.context, active.options) : false;
}
