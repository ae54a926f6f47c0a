import type { Locale } from '../config/locales';

export type { Locale };

/**
 * Every intent the recognizer can return. `chitchat` = small talk about the bot (how are you, are you
 * a robot); `out_of_scope` = a clear request that is not the shop's business (a taxi, the weather, a
 * bank transfer); `none` = no request at all (fillers, gibberish, "test").
 */
export const INTENTS = [
  'order_status',
  'cancel_order',
  'change_order',
  'return_request',
  'exchange_request',
  'repair_request',
  'complaint',
  'human_agent',
  'ticket_status',
  'points_membership',
  'payment_issue',
  'shipping_info',
  'account_privacy',
  'greeting',
  'goodbye_thanks',
  'chitchat',
  'out_of_scope',
  'none',
] as const;
export type Intent = (typeof INTENTS)[number];

export function isIntent(value: string): value is Intent {
  return (INTENTS as readonly string[]).includes(value);
}

export type EntityType =
  | 'number'
  | 'money'
  | 'datetime'
  | 'phone'
  | 'email'
  | 'boolean'
  | 'order_number'
  | 'ticket_number'
  | 'ordinal';

export interface Entity {
  type: EntityType;
  /** The matched text exactly as the customer wrote it. */
  text: string;
  /** Offset of the first character in the original message (UTF-16 code units). */
  start: number;
  /** Offset just past the last character (exclusive), so text === message.slice(start, end). */
  end: number;
  /**
   * normalized value: number for number/ordinal, {amount, currency} for money, ISO string
   * (or {start,end} ISO for ranges) for datetime resolved in the shop's time zone, normalized
   * digits for phone, lowercase email, boolean, uppercase order/ticket number
   */
  value: unknown;
  /** For datetime: the recognizers-text subtype (date, datetime, time, daterange, duration, ...). */
  subtype?: string;
}

export interface MoneyValue {
  amount: number;
  /** ISO 4217 code when known (CNY, USD, ...), otherwise the recognizer's unit name. */
  currency: string;
}

export interface DateRangeValue {
  start: string;
  end: string;
}

export interface IntentScore {
  intent: Intent;
  score: number;
}

export interface RecognizeOptions {
  /** The conversation's current locale, a hint. */
  locale?: Locale;
  now: Date;
  /** IANA, e.g. Asia/Shanghai */
  timezone: string;
}

export interface RecognizerResult {
  text: string;
  /** Detected language of THIS message (fallback: options.locale, then zh-CN). */
  locale: Locale;
  intent: Intent;
  score: number;
  /** Top 3, sorted by score descending. */
  intents: IntentScore[];
  entities: Entity[];
  /** Set when the text was longer than what the classifier looks at. */
  truncated?: boolean;
}

export interface Recognizer {
  readonly name: string;
  init(): Promise<void>;
  recognize(text: string, options: RecognizeOptions): Promise<RecognizerResult>;
}
