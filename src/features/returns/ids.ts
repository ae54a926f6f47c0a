/** Dialog ids of the returns feature. */
export const ReturnDialogIds = {
  returns: 'kefu.returns',
  returnsWaterfall: 'kefu.returns.waterfall',
  /** "Quality problem, or a change of mind?" after words that fit neither. */
  reasonPrompt: 'kefu.returns.reason',
} as const;
