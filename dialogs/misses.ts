import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { ConversationMemory } from '../src/bot/turnUnderstanding';

/** The conversation's memory accessor, kept on the turn by the root dialog. */
const MEMORY = Symbol('kefu.main.memory');

export function keepMemory(context: TurnContext, memory: StatePropertyAccessor<ConversationMemory>): void {
  context.turnState.set(MEMORY, memory);
}

/** Messages in a row the bot did not understand (0 without a memory). */
export async function missesOf(context: TurnContext): Promise<number> {
  const memory = context.turnState.get(MEMORY) as StatePropertyAccessor<ConversationMemory> | undefined;
  return memory ? ((await memory.get(context, {})).misses ?? 0) : 0;
}

export async function setMisses(context: TurnContext, misses: number): Promise<void> {
  const memory = context.turnState.get(MEMORY) as StatePropertyAccessor<ConversationMemory> | undefined;
  if (!memory) return;
  const current = await memory.get(context, {});
  if ((current.misses ?? 0) !== misses) await memory.set(context, { ...current, misses });
}
