/** Dialog ids of the complaints feature. */
export const ComplaintDialogIds = {
  complaint: 'kefu.complaint',
  complaintWaterfall: 'kefu.complaint.waterfall',
} as const;
