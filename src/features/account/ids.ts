/** Dialog ids of the account feature. */
export const AccountDialogIds = {
  language: 'kefu.language',
  languageWaterfall: 'kefu.language.waterfall',
  languagePrompt: 'kefu.language.prompt',
  myData: 'kefu.myData',
  signOut: 'kefu.signOut',
  signOutWaterfall: 'kefu.signOut.waterfall',
  myDataWaterfall: 'kefu.myData.waterfall',
  myDataAction: 'kefu.myData.action',
  myDataEditWaterfall: 'kefu.myData.edit.waterfall',
  myDataDeleteWaterfall: 'kefu.myData.delete.waterfall',
} as const;
