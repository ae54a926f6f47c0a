import fs from 'node:fs';
import path from 'node:path';
import { SUPPORTED_LOCALES, type Locale } from '../config/locales';

export type Messages = Record<string, unknown>;
export type Vars = Record<string, string | number>;

export const LOCALES_DIR = path.resolve(__dirname, '../../locales');

/** Loads every locales/<locale>/*.json file; each file is a namespace (messages.json -> "messages."). */
export function loadLocaleFiles(dir: string = LOCALES_DIR): Record<Locale, Messages> {
  const out = {} as Record<Locale, Messages>;
  for (const locale of SUPPORTED_LOCALES) {
    const localeDir = path.join(dir, locale);
    const bundle: Messages = {};
    for (const file of fs.readdirSync(localeDir).filter((f) => f.endsWith('.json')).sort()) {
      bundle[path.basename(file, '.json')] = JSON.parse(fs.readFileSync(path.join(localeDir, file), 'utf8'));
    }
    out[locale] = bundle;
  }
  return out;
}

/** Flattens nested message objects to dotted keys: { a: { b: 'x' } } -> { 'a.b': 'x' }. */
export function flatten(obj: Messages, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Messages, key));
    else out[key] = v;
  }
  return out;
}

/**
 * The only source of user-facing text. Keys are "<file>.<path>", e.g. "messages.welcome.title".
 * `{name}` placeholders are filled from vars; a missing key throws (caught by tests, never shown raw).
 */
export class I18n {
  private readonly tables: Record<Locale, Record<string, unknown>>;

  constructor(bundles: Record<Locale, Messages> = loadLocaleFiles()) {
    this.tables = Object.fromEntries(
      Object.entries(bundles).map(([locale, messages]) => [locale, flatten(messages)]),
    ) as Record<Locale, Record<string, unknown>>;
  }

  has(locale: Locale, key: string): boolean {
    return key in this.tables[locale];
  }

  keys(locale: Locale): string[] {
    return Object.keys(this.tables[locale]);
  }

  /** A raw value (string, list of strings) for a key. */
  raw<T = unknown>(locale: Locale, key: string): T {
    const value = this.tables[locale][key];
    if (value === undefined) throw new Error(`Missing locale key ${locale}:${key}`);
    return value as T;
  }

  t(locale: Locale, key: string, vars: Vars = {}): string {
    const value = this.raw<unknown>(locale, key);
    const template = Array.isArray(value) ? value.join('\n') : String(value);
    return interpolate(template, vars);
  }

  list(locale: Locale, key: string): string[] {
    const value = this.raw<unknown>(locale, key);
    if (!Array.isArray(value)) throw new Error(`Locale key ${locale}:${key} is not a list`);
    return value.map(String);
  }
}

export function interpolate(template: string, vars: Vars): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : match,
  );
}

/** Maps what channels send (zh, zh-cn, zh-Hans-CN, en, en-GB...) to a supported locale, or undefined. */
export function normalizeLocale(input: string | null | undefined): Locale | undefined {
  if (!input) return undefined;
  const lower = input.trim().toLowerCase().replace('_', '-');
  if (lower.startsWith('zh')) {
    // Traditional Chinese is answered in Simplified Chinese (the shop's language).
    return 'zh-CN';
  }
  if (lower.startsWith('en')) return 'en-US';
  return undefined;
}
