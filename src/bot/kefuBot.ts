import { ActivityHandler, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { Locale } from '../config/locales';
import { StateProperties } from './stateProperties';
import { turnInfo } from './turnState';
import type { ConversationMemory, TurnUnderstanding } from './turnUnderstanding';

/** What the bot needs of the root dialog (dialogs/mainDialog.ts): run a turn's dialog stack, welcome a newcomer. */
export interface RootDialog {
  run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>, memory: StatePropertyAccessor<ConversationMemory>): Promise<void>;
  sendWelcome(context: TurnContext, locale: Locale): Promise<void>;
}

/**
 * The activity handler routes; dialogs decide. It understands the message once (intent, entities,
 * language), runs the root dialog on messages, welcomes new members, and saves conversation state
 * once at the end of every turn.
 */
export class KefuBot extends ActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly memory: StatePropertyAccessor<ConversationMemory>;

  constructor(
    private readonly conversationState: ConversationState,
    private readonly mainDialog: RootDialog,
    private readonly understanding: TurnUnderstanding,
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
    await this.understanding.understand(context, this.memory);
    await super.run(context);
    await this.understanding.remember(context, this.memory);
    await this.conversationState.saveChanges(context, false);
  }
}
