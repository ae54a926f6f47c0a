import type { Request, Response } from 'restify';
import type { Locale } from '../config/locales';
import { AppError } from '../errors';
import { htmlPageCsp } from '../http/securityHeaders';
import type { Logger } from '../logger';
import type { IncomingHttpHeaders } from 'node:http';
import { CSRF_HEADER, type StaffGuard } from './guard';
import { sendError } from '../http/errors';
import type { Permission } from './permissions';
import type { StaffAuth, StaffMember } from './types';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const HTML_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY' };

/** Sends a server-rendered staff page (never cached, never framed; its inline scripts allowed by hash). */
export function sendHtml(res: Response, status: number, html: string, locale: Locale, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...HTML_HEADERS, 'content-language': locale, 'content-security-policy': htmlPageCsp(html), ...headers });
  res.end(html);
}

/** What a staff page's work answers: the page, or (after a form) where to go next. */
export type StaffPageAnswer = { status: number; html: string } | { status: number; location: string };

export interface StaffPageOptions {
  guard: StaffGuard;
  logger: Logger;
  locale: Locale;
  method: 'GET' | 'POST';
  permission: Permission;
  /** The request's headers as the guard checks them (a form's: readStaffForm). */
  headers?: IncomingHttpHeaders;
  /** Where the sign-in sends a form's sender back to (a GET comes back to its own URL). */
  home: string;
  /** The words of a 403: a role without the permission, or (a POST) a form not from this session or site. */
  forbidden: (auth: StaffAuth | undefined) => string;
  /** A link under the 403's words. */
  back?: { href: string; text: string };
  /** The words when the page itself failed (logged); without them, the JSON error. */
  failed?: string;
  /** Headers for every page it sends (FORM_PAGE_HEADERS for pages with forms). */
  pageHeaders?: Record<string, string>;
}

/*
 * Pages with forms are served with Referrer-Policy same-origin (the site's default is no-referrer):
 * with no-referrer, Chromium sends "Origin: null" with a form's POST, which the guard refuses as
 * another site's.
 */
export const FORM_PAGE_HEADERS = { 'referrer-policy': 'same-origin' };

/** The common look of the staff pages: text, header, tables, the line that says what a form did. */
export const STAFF_PAGE_STYLE = `body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:1rem;color:#222}header{display:flex;gap:1rem;align-items:baseline;flex-wrap:wrap}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ccc;padding:.3rem .45rem;text-align:left;vertical-align:top}
.flash{padding:.5rem .75rem;border-radius:4px}.flash.ok{background:#e8f5e9}.flash.error{background:#fdecea;color:#8a1c12}`;

/** The line at the top of a page that says what the last form did, or why it was refused. */
export function flashHtml(flash: { ok: boolean; text: string } | undefined): string {
  return flash ? `<p id="flash" class="flash ${flash.ok ? 'ok' : 'error'}" role="status">${escapeHtml(flash.text)}</p>` : '';
}

/** A page form's fields, and the request's headers with the form's CSRF token (a hidden field) where the guard reads it. */
export function readStaffForm(req: Request): { form: URLSearchParams; headers: IncomingHttpHeaders } {
  const form = new URLSearchParams(typeof req.body === 'string' ? req.body : '');
  return { form, headers: form.has('csrf') ? { ...req.headers, [CSRF_HEADER]: form.get('csrf') ?? '' } : req.headers };
}

/**
 * One answer of a server-rendered staff page, GET or a form's POST: the guard first (not signed in →
 * the sign-in page and back; a role without the permission or a stale form → 403 in words), then
 * what `work` made (a page, or a 303 after a form), and a failure of the page itself logged and said
 * in words.
 */
export async function answerStaffPage(req: Request, res: Response, o: StaffPageOptions, work: (auth: StaffAuth) => Promise<StaffPageAnswer>): Promise<void> {
  const { locale } = o;
  try {
    const auth = await o.guard.check(o.method, o.headers ?? req.headers, o.permission);
    const out = await work(auth);
    if ('location' in out) {
      res.writeHead(out.status, { location: out.location, 'cache-control': 'no-store' });
      res.end();
      return;
    }
    sendHtml(res, out.status, out.html, locale, o.pageHeaders);
  } catch (err) {
    if (err instanceof AppError && err.code === 'unauthorized') {
      const next = o.method === 'GET' ? (req.url ?? o.home) : o.home;
      res.writeHead(o.method === 'GET' ? 302 : 303, { location: `/staff/signin?lang=${locale}&next=${encodeURIComponent(next)}` });
      res.end();
      return;
    }
    if (err instanceof AppError && err.code === 'forbidden') {
      const auth = await o.guard.authenticate(req.headers);
      const back = o.back ? `<p><a href="${escapeHtml(o.back.href)}">${escapeHtml(o.back.text)}</a></p>` : '';
      sendHtml(res, 403, `<!doctype html><html lang="${locale}"><meta charset="utf-8"><p id="forbidden">${escapeHtml(o.forbidden(auth))}</p>${back}</html>`, locale);
      return;
    }
    if (o.failed === undefined) {
      sendError(res, err, { logger: o.logger });
      return;
    }
    o.logger.error({ err, url: req.url?.split('?')[0] }, 'staff page failed');
    sendHtml(res, 500, `<!doctype html><html lang="${locale}"><meta charset="utf-8"><p id="error">${escapeHtml(o.failed)}</p></html>`, locale);
  }
}

/**
 * A server-rendered staff page behind a permission (GET only): not signed in → the sign-in page (and
 * back here after), a role without the permission → 403 with `forbidden(locale, role)` in words.
 */
export function staffPage(
  deps: { guard: StaffGuard; logger: Logger; localeOf: (req: Request) => Locale; forbidden: (locale: Locale, role: string) => string },
  permission: Permission,
  render: (req: Request, locale: Locale, member: StaffMember) => Promise<string>,
) {
  return async (req: Request, res: Response): Promise<void> => {
    const locale = deps.localeOf(req);
    await answerStaffPage(
      req,
      res,
      { guard: deps.guard, logger: deps.logger, locale, method: 'GET', permission, home: req.url ?? '/', forbidden: (auth) => deps.forbidden(locale, auth?.member.role ?? '-') },
      async (auth) => ({ status: 200, html: await render(req, locale, auth.member) }),
    );
  };
}
