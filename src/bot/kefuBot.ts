import { ActivityTypes, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { Locale } from '../config/locales';
import type { ConversationLifecycle } from '../crm/lifecycle';
import { AppError } from '../errors';
import { StateProperties } from './stateProperties';
import { turnInfo } from './turnState';
import type { ConversationMemory, TurnUnderstanding } from './turnUnderstanding';

/** What the bot needs of the root dialog (dialogs/mainDialog.ts): run a turn's dialog stack, welcome a newcomer. */
export interface RootDialog {
  run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>, memory: StatePropertyAccessor<ConversationMemory>): Promise<void>;
  sendWelcome(context: TurnContext, locale: Locale): Promise<void>;
}

/** Handles a customer's turn while someone other than the bot owns the conversation (the queue, an agent). */
export type OwnerTurnHandler = (context: TurnContext) => Promise<void>;

/** Who answers a customer's message when the bot does not own the conversation. */
export interface ConversationOwners {
  QUEUED?: OwnerTurnHandler;
  AGENT?: OwnerTurnHandler;
  /** The customer is typing (whoever owns the conversation; nothing is stored): an agent's console shows it. */
  typing?: OwnerTurnHandler;
}

/**
 * The bot routes; dialogs decide. It understands the message once (intent, entities, language), asks
 * who owns the conversation (the lifecycle gate: a queued or agent-owned conversation's messages go
 * to their owner's handler, not to the bot's dialogs; a closed one is opened again with the bot),
 * runs the root dialog on messages, welcomes new members, and saves conversation state once at the
 * end of every turn. Other activities (typing, events, invokes) get nothing from the bot; an invoke
 * is answered 501 by the adapter. (botbuilder's ActivityHandler dispatched the same two kinds through
 * a dozen awaited layers on every turn.)
 */
export class KefuBot {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly memory: StatePropertyAccessor<ConversationMemory>;

  constructor(
    private readonly conversationState: ConversationState,
    private readonly mainDialog: RootDialog,
    private readonly understanding: TurnUnderstanding,
    private readonly gate: { lifecycle: ConversationLifecycle; owners: ConversationOwners },
  ) {
    this.dialogState = conversationState.createProperty<DialogState>(StateProperties.dialogState);
    this.memory = conversationState.createProperty<ConversationMemory>(StateProperties.conversation);
  }

  async run(context: TurnContext): Promise<void> {
    // Typing carries no words: no understanding, no dialog, no state to load or save.
    if (context.activity.type === ActivityTypes.Typing) return this.gate.owners.typing?.(context);
    // A chat with an agent: the bot says nothing, so it need not understand the message (no recognition, no state).
    const agent = this.gate.owners.AGENT;
    if (context.activity.type === ActivityTypes.Message && turnInfo(context).owner.status === 'AGENT' && agent) return agent(context);
    await this.understanding.understand(context, this.memory);
    const { type } = context.activity;
    const owner = type === ActivityTypes.Message ? await this.ownerOf(context) : undefined;
    if (owner) await owner(context);
    else if (type === ActivityTypes.Message) await this.mainDialog.run(context, this.dialogState, this.memory);
    else if (type === ActivityTypes.ConversationUpdate && this.someoneJoined(context)) await this.mainDialog.sendWelcome(context, turnInfo(context).locale);
    await this.understanding.remember(context, this.memory);
    await this.conversationState.saveChanges(context, false);
  }

  /** A member other than the bot joined (the customer opened the chat). */
  private someoneJoined(context: TurnContext): boolean {
    const botId = context.activity.recipient?.id;
    return (context.activity.membersAdded ?? []).some((m) => m.id !== botId);
  }

  /** The handler of the conversation's owner when it is not the bot; a closed conversation opens again with the bot. */
  private async ownerOf(context: TurnContext): Promise<OwnerTurnHandler | undefined> {
    const info = turnInfo(context);
    const status = info.owner.status;
    if (status === 'CLOSED') {
      await this.gate.lifecycle
        .move(info.conversationId, { to: 'BOT', from: 'CLOSED', actor: { type: 'customer', id: info.customerId }, reason: 'customer wrote again' })
        .catch((err: unknown) => {
          if (!(err instanceof AppError && err.code === 'conflict')) throw err; // another instance opened it first
        });
      info.owner = { status: 'BOT', agentId: null, queue: null };
      return undefined;
    }
    return status === 'BOT' ? undefined : this.gate.owners[status];
  }
}
