import type { Request, Response } from 'restify';
import type { Locale } from '../config/locales';
import { AppError } from '../errors';
import { htmlPageCsp } from '../http/securityHeaders';
import type { Logger } from '../logger';
import type { StaffGuard } from './guard';
import { sendError } from '../http/errors';
import type { Permission } from './permissions';
import type { StaffMember } from './types';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const HTML_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY' };

/** Sends a server-rendered staff page (never cached, never framed; its inline scripts allowed by hash). */
export function sendHtml(res: Response, status: number, html: string, locale: Locale, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...HTML_HEADERS, 'content-language': locale, 'content-security-policy': htmlPageCsp(html), ...headers });
  res.end(html);
}

/**
 * A server-rendered staff page behind a permission: not signed in → the sign-in page (and back
 * here after), a role without the permission → 403 with `forbidden(locale, role)` in words.
 */
export function staffPage(
  deps: { guard: StaffGuard; logger: Logger; localeOf: (req: Request) => Locale; forbidden: (locale: Locale, role: string) => string },
  permission: Permission,
  render: (req: Request, locale: Locale, member: StaffMember) => Promise<string>,
) {
  return async (req: Request, res: Response): Promise<void> => {
    const locale = deps.localeOf(req);
    try {
      const auth = await deps.guard.check('GET', req.headers, permission);
      const html = await render(req, locale, auth.member);
      sendHtml(res, 200, html, locale);
    } catch (err) {
      if (err instanceof AppError && err.code === 'unauthorized') {
        res.writeHead(302, { location: `/staff/signin?lang=${locale}&next=${encodeURIComponent(req.url ?? '/')}` });
        res.end();
        return;
      }
      if (err instanceof AppError && err.code === 'forbidden') {
        const auth = await deps.guard.authenticate(req.headers);
        res.writeHead(403, HTML_HEADERS);
        res.end(`<!doctype html><html lang="${locale}"><meta charset="utf-8"><p id="forbidden">${escapeHtml(deps.forbidden(locale, auth?.member.role ?? '-'))}</p></html>`);
        return;
      }
      sendError(res, err, { logger: deps.logger });
    }
  };
}
