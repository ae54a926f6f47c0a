/**
 * The bot's ConversationState property names. KefuBot creates both accessors and saves the state once
 * per turn; a feature's middleware may read the dialog stack under the same name.
 */
export const StateProperties = {
  dialogState: 'kefu.dialogState',
  /** ConversationMemory (turnUnderstanding.ts): the conversation's current language and the not-understood streak. */
  conversation: 'kefu.conversation',
} as const;
