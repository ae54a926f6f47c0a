import { SUPPORTED_LOCALES, type Locale } from '../../config/locales';
import type { I18n } from '../../i18n/i18n';

export const CARE_KINDS = ['birthday', 'holiday', 'winback', 'followup'] as const;
export type CareKind = (typeof CARE_KINDS)[number];
/** Kinds that are marketing: sent only to customers who consented (Customer.marketingConsent true). */
export const MARKETING_KINDS: readonly CareKind[] = ['birthday', 'holiday', 'winback'];

/** Lower case, no punctuation, emoji or spaces at the ends: how replies are compared with the phrase lists. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** What a care message says (locales/<locale>/care.json) and how replies to it are read. */
export class CareTexts {
  private readonly optOuts: Set<string>;
  private readonly allGood: Set<string>;

  constructor(private readonly i18n: I18n) {
    const list = (key: string) => new Set(SUPPORTED_LOCALES.flatMap((l) => i18n.list(l, `care.${key}`).map(normalize)));
    this.optOuts = list('optOut');
    this.allGood = list('allGood');
  }

  t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
    return this.i18n.t(locale, `care.${key}`, vars);
  }

  /** The customer's name, or "dear customer". */
  name(locale: Locale, name: string | null): string {
    return name?.trim() || this.t(locale, 'dear');
  }

  holiday(locale: Locale, key: string, name: string): string {
    return this.i18n.has(locale, `care.holiday.${key}`) ? this.t(locale, `holiday.${key}`, { name }) : this.t(locale, 'holiday.default', { name });
  }

  /** "不要再发了", "unsubscribe": the whole message asks for no more. */
  isOptOut(text: string): boolean {
    return this.optOuts.has(normalize(text));
  }

  /** "挺好的，谢谢", "all good, thanks": every part of the message says all is well (anything else is a problem for the dialogs). */
  isAllGood(text: string): boolean {
    const parts = text
      .split(/[,，。.!！~～;；\n]+/)
      .map(normalize)
      .filter(Boolean);
    return parts.length > 0 && parts.every((p) => this.allGood.has(p));
  }
}
