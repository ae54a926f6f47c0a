/** Dialog ids, in one place. */
export const DialogIds = {
  main: 'kefu.main',
  mainWaterfall: 'kefu.main.waterfall',
  language: 'kefu.language',
  languageWaterfall: 'kefu.language.waterfall',
  languagePrompt: 'kefu.language.prompt',
} as const;

/** State property names (ConversationState). */
export const StateProperties = {
  dialogState: 'kefu.dialogState',
} as const;
