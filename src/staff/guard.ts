import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response } from 'restify';
import { AppError } from '../errors';
import { sendError } from '../http/errors';
import type { Logger } from '../logger';
import type { StaffAccounts } from './accounts';
import { requirePermission, type Permission } from './permissions';
import type { StaffAuth } from './types';

/** The session cookie's name. */
export const STAFF_COOKIE = 'kefu_staff';
/** The header a browser session sends its CSRF token in, on every request that changes something. */
export const CSRF_HEADER = 'x-kefu-csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** A request from a page of another site (its Origin is not this host): refused for cookie sessions. */
export function crossOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (!origin || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== headers.host;
  } catch {
    return true;
  }
}

export type StaffHandler = (req: Request, res: Response, auth: StaffAuth) => Promise<unknown>;

/**
 * Authentication and roles for staff routes, usable by any feature:
 *
 *   server.get('/api/x', staff.requireStaff('dashboard.read')(async (req, res, auth) => ({ ... })));
 *
 * Accepts the browser session cookie (and then, for POST/PUT/PATCH/DELETE, the CSRF header and a
 * same-origin Origin) or an API bearer token. 401 without either, 403 for a role without the
 * permission (the one table in permissions.ts; no permission admits every staff member). A handler's returned value is sent
 * as JSON 200 unless it answered itself; an AppError it throws becomes its 4xx.
 */
export class StaffGuard {
  constructor(
    private readonly accounts: StaffAccounts,
    private readonly logger: Logger,
  ) {}

  /** Who sent these headers (cookie or bearer), without the CSRF check (WebSocket upgrades check Origin instead). */
  async authenticate(headers: IncomingHttpHeaders): Promise<StaffAuth | undefined> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
    if (bearer) return this.accounts.bearer(bearer[1]);
    const token = cookieValue(headers.cookie, STAFF_COOKIE);
    return token ? this.accounts.session(token) : undefined;
  }

  /** authenticate() plus the CSRF rules of a request with this method and the permission (permissions.ts); throws 401 / 403. */
  async check(method: string, headers: IncomingHttpHeaders, permission?: Permission): Promise<StaffAuth> {
    const auth = await this.authenticate(headers);
    if (!auth) throw new AppError('unauthorized', 'sign in at /staff/signin (or send Authorization: Bearer <token>)');
    if (auth.via === 'session' && !SAFE_METHODS.has(method.toUpperCase())) {
      const sent = headers[CSRF_HEADER];
      if (crossOrigin(headers) || typeof sent !== 'string' || !auth.csrfToken || !sameText(sent, auth.csrfToken)) {
        throw new AppError('forbidden', `a signed-in browser must send the ${CSRF_HEADER} header from GET /staff/api/me, from this site`);
      }
    }
    requirePermission(auth.member.role, permission);
    return auth;
  }

  requireStaff(permission?: Permission): (handler: StaffHandler) => (req: Request, res: Response) => Promise<void> {
    return (handler) => async (req, res) => {
      try {
        const auth = await this.check(req.method ?? 'GET', req.headers, permission);
        const body = await handler(req, res, auth);
        if (body !== undefined && !res.headersSent) {
          res.status(200);
          res.json(body);
        }
      } catch (err) {
        sendError(res, err, { logger: this.logger });
      }
    };
  }
}
