/** Ids the shared dialog kit and the root dialog use (each feature keeps its own in src/features/<name>/ids.ts). */
export const DialogIds = {
  main: 'kefu.main',
  mainWaterfall: 'kefu.main.waterfall',
  /** The dialog "talk to a person" starts, from any step of any dialog (the human feature provides it). */
  human: 'kefu.human',
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
