/** Dialog ids of the repairs feature. */
export const RepairDialogIds = {
  repair: 'kefu.repair',
  repairWaterfall: 'kefu.repair.waterfall',
} as const;
