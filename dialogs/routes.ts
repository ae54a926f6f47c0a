import type { TurnContext } from 'botbuilder';
import type { Locale } from '../src/config/locales';
import type { I18n } from '../src/i18n/i18n';

/**
 * The intent -> dialog map. Dialogs register here: the intent the recognizer returns, the dialog
 * that handles it, the options it starts with, and (optionally) the locale key of its button in the
 * welcome menu. Each feature declares its routes (src/features/<name>/index.ts).
 */
export interface DialogRoute {
  intent: string;
  dialogId: string;
  menuLabelKey?: string;
  /** Position in the menu (ascending); routes without one come after the numbered ones, before "talk to a person". */
  menuOrder?: number;
  /** false: the label is clickable (e.g. an FAQ follow-up) but not a button of the welcome menu. */
  inMenu?: boolean;
  /** Options the dialog starts with (e.g. the FAQ topic). */
  options?: object;
  /**
   * true: the dialog only shows something (an order's status). While it asks "which order?", an
   * answer that is also a confident request for a task ("我想退掉那个热水壶") starts the task, which
   * finds the order or item in the same message, instead of showing the order.
   */
  lookup?: boolean;
  /** A message the recognizer found no request in, but with this entity ("KF202611270009" alone), starts this route. */
  entity?: string;
}

/** What the "talk to a person" dialog (DialogIds.human) starts with. */
export interface HumanRouteOptions {
  /** Why the customer wants a person (the message that asked, or the dialog that gave up). */
  reason?: string;
  /** What made the bot hand over (stored as the handoff's reason): asked (default), not_understood, gave_up, complaint... */
  trigger?: string;
}

/** Where the locale files keep an intent's button label (for "did you mean ...?"). */
export function intentLabelKey(intent: string): string {
  return `dialogs.intents.${intent}`;
}

export const MENU_ORDER_DEFAULT = 80;

function inMenu(routes: DialogRoute[]): DialogRoute[] {
  return routes
    .filter((r) => r.menuLabelKey && r.inMenu !== false)
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.menuOrder ?? MENU_ORDER_DEFAULT) - (b.r.menuOrder ?? MENU_ORDER_DEFAULT) || a.i - b.i)
    .map(({ r }) => r);
}

/** The menu's buttons for a locale, in menu order. */
export function menuLabels(i18n: I18n, locale: Locale, routes: DialogRoute[]): string[] {
  return inMenu(routes).map((r) => i18n.t(locale, r.menuLabelKey as string));
}

/** The button label of an intent, when the locale files have one and a route handles it. */
export function intentLabel(i18n: I18n, locale: Locale, intent: string, routes: DialogRoute[]): string | undefined {
  if (!routes.some((r) => r.intent === intent)) return undefined;
  return i18n.has(locale, intentLabelKey(intent)) ? i18n.t(locale, intentLabelKey(intent)) : undefined;
}

/**
 * A typed or clicked label, in any supported locale, picks its route directly: a menu button, an
 * FAQ follow-up, or an intent label offered after a message the bot was not sure about.
 */
export function routeForMenuLabel(i18n: I18n, text: string, locales: readonly Locale[], routes: DialogRoute[]): DialogRoute | undefined {
  const wanted = text.trim().toLowerCase();
  if (!wanted) return undefined;
  const same = (l: Locale, key: string) => i18n.has(l, key) && i18n.t(l, key).toLowerCase() === wanted;
  return (
    routes.find((r) => r.menuLabelKey && locales.some((l) => same(l, r.menuLabelKey as string))) ??
    routes.find((r) => locales.some((l) => same(l, intentLabelKey(r.intent))))
  );
}

/** A button under an order ("退换货" below order KF…) carries that order: the request starts with it. */
export function withButtonOrder(context: TurnContext, options: object | undefined): object | undefined {
  const orderNumber = (context.activity.value as { orderNumber?: unknown } | undefined)?.orderNumber;
  return typeof orderNumber === 'string' && /^KF\d{12}$/.test(orderNumber) ? { ...options, orderNumber } : options;
}
