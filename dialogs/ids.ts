/** Dialog ids, in one place. */
export const DialogIds = {
  main: 'kefu.main',
  mainWaterfall: 'kefu.main.waterfall',
  language: 'kefu.language',
  languageWaterfall: 'kefu.language.waterfall',
  languagePrompt: 'kefu.language.prompt',
  human: 'kefu.human',
  humanWaterfall: 'kefu.human.waterfall',
  orderStatus: 'kefu.orderStatus',
  orderStatusWaterfall: 'kefu.orderStatus.waterfall',
  cancelOrder: 'kefu.cancelOrder',
  cancelOrderWaterfall: 'kefu.cancelOrder.waterfall',
  changeAddress: 'kefu.changeAddress',
  changeAddressWaterfall: 'kefu.changeAddress.waterfall',
  returns: 'kefu.returns',
  returnsWaterfall: 'kefu.returns.waterfall',
  repair: 'kefu.repair',
  repairWaterfall: 'kefu.repair.waterfall',
  complaint: 'kefu.complaint',
  complaintWaterfall: 'kefu.complaint.waterfall',
  faq: 'kefu.faq',
  faqWaterfall: 'kefu.faq.waterfall',
  loyalty: 'kefu.loyalty',
  loyaltyWaterfall: 'kefu.loyalty.waterfall',
  myData: 'kefu.myData',
  myDataWaterfall: 'kefu.myData.waterfall',
  myDataEditWaterfall: 'kefu.myData.edit.waterfall',
  myDataDeleteWaterfall: 'kefu.myData.delete.waterfall',
} as const;

/** Prompt ids: each dialog adds the prompts it uses under these ids (ids are per component dialog). */
export const PromptIds = {
  choice: 'kefu.prompt.choice',
  confirm: 'kefu.prompt.confirm',
  text: 'kefu.prompt.text',
  order: 'kefu.prompt.order',
  items: 'kefu.prompt.items',
  photos: 'kefu.prompt.photos',
  phone: 'kefu.prompt.phone',
  email: 'kefu.prompt.email',
  address: 'kefu.prompt.address',
} as const;

/** State property names (ConversationState). */
export const StateProperties = {
  dialogState: 'kefu.dialogState',
  /** ConversationMemory: the conversation's current language and the not-understood streak. */
  conversation: 'kefu.conversation',
} as const;

/** Waterfall step-state keys (values kept in step.values between the steps of one dialog). */
export const StepValues = {
  order: 'order',
  orders: 'orders',
  items: 'items',
  reason: 'reason',
  photos: 'photos',
  product: 'product',
  problem: 'problem',
  phone: 'phone',
  complaintType: 'complaintType',
  story: 'story',
  wish: 'wish',
  field: 'field',
  value: 'value',
  topic: 'topic',
  kind: 'kind',
  deadline: 'deadline',
} as const;
