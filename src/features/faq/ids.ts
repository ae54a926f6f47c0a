/** Dialog ids of the faq feature. */
export const FaqDialogIds = {
  faq: 'kefu.faq',
  faqWaterfall: 'kefu.faq.waterfall',
} as const;
