import fs from 'node:fs';
import path from 'node:path';
import { SUPPORTED_LOCALES, type Locale } from '../../config/locales';
import type { I18n } from '../../i18n/i18n';
import { normalizeLocale } from '../../i18n/i18n';

const TEMPLATE_DIR = path.join(__dirname, 'templates');

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * Fills a template: `{{{name}}}` with trusted HTML from `html`, `{{name}}` with escaped text from
 * `text`, or else from the locale file (`{{page.title}}` -> webchat.page.title). A missing key throws.
 */
export function renderTemplate(template: string, opts: { i18n: I18n; locale: Locale; text: Record<string, string>; html: Record<string, string> }): string {
  return template
    .replace(/\{\{\{(\w+)\}\}\}/g, (_m, name: string) => {
      const value = opts.html[name];
      if (value === undefined) throw new Error(`template: no html for ${name}`);
      return value;
    })
    .replace(/\{\{([\w.]+)\}\}/g, (_m, name: string) => escapeHtml(opts.text[name] ?? opts.i18n.t(opts.locale, `webchat.${name}`)));
}

/** The page's language: ?lang=, else the browser's Accept-Language (by q), else DEFAULT_LOCALE. */
export function pageLocale(query: unknown, acceptLanguage: string | undefined, fallback: Locale): Locale {
  const lang = typeof query === 'string' ? normalizeLocale(query) : undefined;
  if (lang) return lang;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { tag: tag ?? '', q: q ? Number(q) : 1, i };
    })
    .filter((p) => p.tag && p.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const p of ranked) {
    const l = normalizeLocale(p.tag);
    if (l) return l;
  }
  return fallback;
}

export interface DemoCustomer {
  externalId: string;
  name: string | null;
  /** What this account's data lets a visitor try (the start banner says the same): its tier, open and shipped orders, a delivery still in the return window. */
  tier?: string;
  openOrders?: number;
  shippedOrders?: number;
  returnable?: boolean;
}

const PRODUCT_LOOKS = [
  { emoji: '👕', bg: '#e8f1ff', price: 79 },
  { emoji: '🧥', bg: '#fff0e6', price: 399 },
  { emoji: '👟', bg: '#eaf7ee', price: 459 },
  { emoji: '🎒', bg: '#f3ecff', price: 199 },
  { emoji: '🎧', bg: '#eef0f3', price: 899 },
  { emoji: '🍵', bg: '#eef7e2', price: 268 },
];

/** The demo shop page, in one language. */
export class ShopPage {
  private readonly template = fs.readFileSync(path.join(TEMPLATE_DIR, 'shop.html'), 'utf8');

  constructor(private readonly i18n: I18n) {}

  render(locale: Locale, customers: DemoCustomer[], signInEnabled: boolean): string {
    const products = this.i18n.list(locale, 'webchat.page.products');
    const productCards = products
      .map((name, i) => {
        const look = PRODUCT_LOOKS[i % PRODUCT_LOOKS.length] ?? PRODUCT_LOOKS[0]!;
        return `<article class="card"><div class="thumb" style="background:${look.bg}" aria-hidden="true">${look.emoji}</div><div class="info"><div class="name">${escapeHtml(name)}</div><div class="price">¥${look.price.toFixed(2)}</div><button type="button">${escapeHtml(this.i18n.t(locale, 'webchat.page.addToCart'))}</button></div></article>`;
      })
      .join('\n  ');
    const customerOptions = signInEnabled
      ? customers.map((c) => `<option value="${escapeHtml(c.externalId)}">${escapeHtml([c.externalId, c.name ?? '', ...this.traits(locale, c)].join(' · '))}</option>`).join('')
      : '';
    const other = SUPPORTED_LOCALES.find((l) => l !== locale) ?? locale;
    return renderTemplate(this.template, {
      i18n: this.i18n,
      locale,
      text: { lang: locale, otherLanguage: other, otherLanguageHref: `/?lang=${other}`, signInEnabled: String(signInEnabled) },
      html: { productCards, customerOptions },
    });
  }

  /** "黄金会员", "2 单待发货（可取消、改地址）", "1 单运输中", "最近签收可退换": what picking this account lets one try. */
  private traits(locale: Locale, c: DemoCustomer): string[] {
    const t = (key: string, vars?: Record<string, string | number>) => this.i18n.t(locale, `webchat.page.account.traits.${key}`, vars);
    const out: string[] = [];
    if (c.tier) out.push(t('tier', { tier: this.i18n.t(locale, `loyalty.tier.${c.tier}`) }));
    if (c.openOrders) out.push(t('open', { count: c.openOrders }));
    if (c.shippedOrders) out.push(t('shipped', { count: c.shippedOrders }));
    if (c.returnable) out.push(t('returnable'));
    return out;
  }
}
