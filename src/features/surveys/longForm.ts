/**
 * The follow-up visit's longer form, the handbooks' question set (CRM process regulation, 售后服务:
 * 产品质量、服务体验、价格合理性、总体满意度), asked one after the other, each 1-5. The last question,
 * overall satisfaction, is the survey's score (the CSAT figures, the low-score ticket).
 */
export const LONG_FORM = ['service', 'product', 'price', 'overall'] as const;
export type LongFormItem = (typeof LONG_FORM)[number];

/** The questions stored in a column of their own (overall is the score). */
export const ITEM_COLUMNS = { service: 'serviceScore', product: 'productScore', price: 'priceScore' } as const;
export type ItemColumn = (typeof ITEM_COLUMNS)[keyof typeof ITEM_COLUMNS];

export function isLongFormStage(stage: string): stage is LongFormItem {
  return (LONG_FORM as readonly string[]).includes(stage);
}

/** The question after `item` (undefined after the last). */
export function nextItem(item: LongFormItem): LongFormItem | undefined {
  return LONG_FORM[LONG_FORM.indexOf(item) + 1];
}
