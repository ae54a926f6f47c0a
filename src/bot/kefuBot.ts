import { ActivityHandler, ActivityTypes, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
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
 * The activity handler routes; dialogs decide. It understands the message once (intent, entities,
 * language), asks who owns the conversation (the lifecycle gate: a queued or agent-owned
 * conversation's messages go to their owner's handler, not to the bot's dialogs; a closed one is
 * opened again with the bot), runs the root dialog on messages, welcomes new members, and saves
 * conversation state once at the end of every turn.
 */
export class KefuBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly memory: StatePropertyAccessor<ConversationMemory>;

  constructor(
    private readonly conversationState: ConversationState,
    private readonly mainDialog: RootDialog,
    private readonly understanding: TurnUnderstanding,
    private readonly gate: { lifecycle: ConversationLifecycle; owners: ConversationOwners },
  ) {
    super();
    this.dialogState = conversationState.createProperty<DialogState>(StateProperties.dialogState);
    this.memory = conversationState.createProperty<ConversationMemory>(StateProperties.conversation);

    this.onMessage(async (context, next) => {
      await this.mainDialog.run(context, this.dialogState, this.memory);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const joined = (context.activity.membersAdded ?? []).some((m) => m.id !== botId);
      if (joined) await this.mainDialog.sendWelcome(context, turnInfo(context).locale);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    // Typing carries no words: no understanding, no dialog, no state to load or save.
    if (context.activity.type === ActivityTypes.Typing) return this.gate.owners.typing?.(context);
    // A chat with an agent: the bot says nothing, so it need not understand the message (no recognition, no state).
    const agent = this.gate.owners.AGENT;
    if (context.activity.type === ActivityTypes.Message && turnInfo(context).owner.status === 'AGENT' && agent) return agent(context);
    await this.understanding.understand(context, this.memory);
    const owner = context.activity.type === ActivityTypes.Message ? await this.ownerOf(context) : undefined;
    if (owner) await owner(context);
    else await super.run(context);
    await this.understanding.remember(context, this.memory);
    await this.conversationState.saveChanges(context, false);
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
