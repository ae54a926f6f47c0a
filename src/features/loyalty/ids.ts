/** Dialog ids of the loyalty feature. */
export const LoyaltyDialogIds = {
  loyalty: 'kefu.loyalty',
  loyaltyWaterfall: 'kefu.loyalty.waterfall',
} as const;
