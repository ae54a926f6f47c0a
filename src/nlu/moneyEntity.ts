import type { ModelResult } from '@microsoft/recognizers-text';
import { num, str } from './resolutionFields';
import type { MoneyValue } from './types';

const ISO_BY_UNIT: Record<string, string> = {
  'Chinese yuan': 'CNY',
  Dollar: 'USD',
  'United States dollar': 'USD',
  Cent: 'USD',
  Euro: 'EUR',
  Pound: 'GBP',
  'British pound': 'GBP',
  'Japanese yen': 'JPY',
};

/** An amount and its ISO currency; ¥ is the renminbi. */
export function resolveMoney(r: ModelResult): MoneyValue | undefined {
  let amount = num(r.resolution, 'value');
  // "USD 15" comes back as 0.15; when the text holds exactly one plain number, trust the text.
  const digits = r.text.match(/\d[\d,]*(?:\.\d+)?/g);
  if (digits && digits.length === 1 && digits[0] && !/cents?|分|角|毛/i.test(r.text)) {
    amount = Number(digits[0].replace(/,/g, ''));
  }
  if (amount === undefined || !Number.isFinite(amount)) return undefined;
  const unit = str(r.resolution, 'unit') ?? '';
  let currency = str(r.resolution, 'isoCurrency') ?? ISO_BY_UNIT[unit] ?? unit;
  // The shop sells in China: ¥/￥ is the renminbi, not the yen the library assumes.
  if (/[¥￥]/.test(r.text)) currency = 'CNY';
  return { amount, currency };
}
