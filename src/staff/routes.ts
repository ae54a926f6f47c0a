import fs from 'node:fs';
import { htmlPageCsp } from '../http/securityHeaders';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { Locale } from '../config/locales';
import { AppError } from '../errors';
import { normalizeLocale, type I18n } from '../i18n/i18n';
import type { Logger } from '../logger';
import type { StaffAccounts } from './accounts';
import { sendError } from '../http/errors';
import { crossOrigin, STAFF_COOKIE, type StaffGuard } from './guard';

const SIGNIN_TEMPLATE = fs.readFileSync(path.join(__dirname, 'templates', 'signin.html'), 'utf8');

export interface StaffRouteDeps {
  accounts: StaffAccounts;
  guard: StaffGuard;
  i18n: I18n;
  logger: Logger;
  defaultLocale: Locale;
  sessionHours: number;
  cookieSecure: boolean;
}

const signInSchema = z.object({ login: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) });

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Where to go after signing in: a path on this site only (never //host or a full URL). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/agent';
}

/** The page's language: ?lang=, else the browser's first supported Accept-Language, else the default. */
export function staffLocale(lang: unknown, acceptLanguage: string | undefined, fallback: Locale): Locale {
  const asked = typeof lang === 'string' ? normalizeLocale(lang) : undefined;
  if (asked) return asked;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const l = normalizeLocale(part.split(';')[0]);
    if (l) return l;
  }
  return fallback;
}

function cookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${STAFF_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/**
 * The staff sign-in:
 *   GET  /staff/signin?lang=&next=   the page (zh-CN / en-US)
 *   POST /staff/api/signin            {login, password} -> the session cookie, {member, csrfToken, expiresAt}
 *   GET  /staff/api/me                who is signed in, and the CSRF token for the x-kefu-csrf header
 *   POST /staff/api/signout           ends the session, clears the cookie
 */
export function registerStaffRoutes(server: Server, deps: StaffRouteDeps): void {
  server.get('/staff/signin', async (req: Request, res: Response) => {
    const query = (req.query ?? {}) as Record<string, unknown>;
    const locale = staffLocale(query.lang, req.headers['accept-language'], deps.defaultLocale);
    const next = safeNext(query.next);
    const t = (key: string) => deps.i18n.t(locale, `staff.${key}`);
    const other: Locale = locale === 'zh-CN' ? 'en-US' : 'zh-CN';
    const signedOut = query.signedOut === '1';
    const text: Record<string, string> = {
      lang: locale,
      otherLang: other,
      otherLanguageHref: `/staff/signin?lang=${other}&next=${encodeURIComponent(next)}`,
      message: signedOut ? t('signin.signedOut') : '',
      messageClass: signedOut ? 'info' : '',
    };
    const texts = { next, working: t('signin.working'), submit: t('signin.submit'), wrong: t('signin.wrong'), locked: t('signin.locked'), failed: t('signin.failed') };
    const html = SIGNIN_TEMPLATE.replace('{{{texts}}}', scriptJson(texts)).replace(/\{\{([\w.]+)\}\}/g, (_m, name: string) => escapeHtml(text[name] ?? t(name)));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY', 'content-language': locale, 'content-security-policy': htmlPageCsp(html) });
    res.end(html);
  });

  server.post('/staff/api/signin', async (req: Request, res: Response) => {
    try {
      if (crossOrigin(req.headers)) throw new AppError('forbidden', 'sign in from this site');
      const parsed = signInSchema.safeParse(req.body ?? {});
      if (!parsed.success) throw new AppError('invalid_request', 'send {"login": "...", "password": "..."}');
      const signed = await deps.accounts.signIn(parsed.data.login, parsed.data.password);
      res.header('set-cookie', cookie(signed.token, Math.round(deps.sessionHours * 3600), deps.cookieSecure));
      res.header('cache-control', 'no-store');
      res.status(200);
      res.json({ member: signed.member, csrfToken: signed.csrfToken, expiresAt: signed.expiresAt });
    } catch (err) {
      sendError(res, err, { logger: deps.logger });
    }
  });

  server.get(
    '/staff/api/me',
    deps.guard.requireStaff()(async (_req, res, auth) => {
      res.header('cache-control', 'no-store');
      return { member: auth.member, via: auth.via, csrfToken: auth.csrfToken ?? null };
    }),
  );

  server.post(
    '/staff/api/signout',
    deps.guard.requireStaff()(async (_req, res, auth) => {
      if (auth.sessionId) await deps.accounts.signOut(auth.sessionId, auth.member.id);
      res.header('set-cookie', cookie('', 0, deps.cookieSecure));
      return { signedOut: true };
    }),
  );
}
