/** The languages Kefu speaks. Every locale has the same files and keys in locales/<locale>/. */
export const SUPPORTED_LOCALES = ['zh-CN', 'en-US'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
