/** Dialog ids of the complaints feature. */
export const ComplaintDialogIds = {
  complaint: 'kefu.complaint',
  complaintWaterfall: 'kefu.complaint.waterfall',
} as const;

/** The complaint's own prompt: its type, from a button, its name, or the words of the story. */
export const ComplaintPromptIds = {
  type: 'kefu.complaint.type',
} as const;
