/** Dialog ids of the loyalty feature. */
export const LoyaltyDialogIds = {
  loyalty: 'kefu.loyalty',
  loyaltyWaterfall: 'kefu.loyalty.waterfall',
  redeem: 'kefu.loyalty.redeem',
  redeemWaterfall: 'kefu.loyalty.redeem.waterfall',
} as const;

/** How the loyalty dialog starts: the balance (default), or the redemption (a tapped button, or a late second tap on its confirmation). */
export interface LoyaltyDialogOptions {
  redeem?: boolean;
  lateConfirm?: boolean;
}
