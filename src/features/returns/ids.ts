/** Dialog ids of the returns feature. */
export const ReturnDialogIds = {
  returns: 'kefu.returns',
  returnsWaterfall: 'kefu.returns.waterfall',
} as const;
