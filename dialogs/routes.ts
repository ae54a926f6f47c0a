import type { Locale } from '../src/config/config';
import type { I18n } from '../src/i18n/i18n';
import { DialogIds } from './ids';

/**
 * The intent -> dialog map. Later dialogs register here: the intent the recognizer returns, the dialog
 * that handles it, and (optionally) the locale key of its button in the welcome menu.
 */
export interface DialogRoute {
  intent: string;
  dialogId: string;
  menuLabelKey?: string;
}

export const ROUTES: DialogRoute[] = [{ intent: 'language', dialogId: DialogIds.language, menuLabelKey: 'messages.menu.language' }];

/** The menu's buttons for a locale, in route order. */
export function menuLabels(i18n: I18n, locale: Locale, routes: DialogRoute[] = ROUTES): string[] {
  return routes.filter((r) => r.menuLabelKey).map((r) => i18n.t(locale, r.menuLabelKey as string));
}

/** A typed or clicked menu label, in any supported locale, picks its route directly. */
export function routeForMenuLabel(i18n: I18n, text: string, locales: readonly Locale[], routes: DialogRoute[] = ROUTES): DialogRoute | undefined {
  const wanted = text.trim().toLowerCase();
  return routes.find((r) => r.menuLabelKey && locales.some((l) => i18n.t(l, r.menuLabelKey as string).toLowerCase() === wanted));
}
