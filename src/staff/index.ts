import type { Request, Response, Server } from 'restify';
import type { Locale } from '../config/locales';
import type { I18n } from '../i18n/i18n';
import type { Logger } from '../logger';
import type { Db } from '../store/db';
import { StaffAccounts } from './accounts';
import type { StaffConfig } from './config';
import { StaffGuard, type StaffHandler } from './guard';
import { registerStaffRoutes } from './routes';
import type { Permission } from './permissions';

export { StaffAccounts } from './accounts';
export { CSRF_HEADER, STAFF_COOKIE, crossOrigin, type StaffGuard, type StaffHandler } from './guard';
export { FORM_PAGE_HEADERS, STAFF_PAGE_STYLE, answerStaffPage, escapeHtml, flashHtml, readStaffForm, sendHtml, type StaffPageAnswer } from './pages';
export { STAFF_ROLES, type StaffAuth, type StaffMember, type StaffRole } from './types';
export { PERMISSIONS, PERMISSION_NAMES, can, requirePermission, type Permission } from './permissions';
export { staffConfigSchema, type StaffConfig } from './config';
export { staffLocale } from './routes';

/** Staff sign-in and the guard every feature's staff routes use (the agent console, the dashboard). */
export interface Staff {
  accounts: StaffAccounts;
  guard: StaffGuard;
  /** Wraps a route handler: 401 unless signed in (cookie + CSRF, or bearer token), 403 for a role without the permission. */
  requireStaff(permission?: Permission): (handler: StaffHandler) => (req: Request, res: Response) => Promise<void>;
  /** Registers /staff/signin and /staff/api/{signin,me,signout}. */
  http(server: Server): void;
}

export function createStaff(deps: { db: Db; i18n: I18n; logger: Logger; clock: () => Date; defaultLocale: Locale; config: StaffConfig }): Staff {
  const { config } = deps;
  const logger = deps.logger.child({ component: 'staff' });
  const accounts = new StaffAccounts(deps.db, { sessionHours: config.STAFF_SESSION_HOURS, lockoutAttempts: config.STAFF_LOCKOUT_ATTEMPTS, lockoutMinutes: config.STAFF_LOCKOUT_MINUTES }, deps.clock);
  const guard = new StaffGuard(accounts, logger);
  return {
    accounts,
    guard,
    requireStaff: (permission) => guard.requireStaff(permission),
    http: (server) =>
      registerStaffRoutes(server, {
        accounts,
        guard,
        i18n: deps.i18n,
        logger,
        defaultLocale: deps.defaultLocale,
        sessionHours: config.STAFF_SESSION_HOURS,
        cookieSecure: config.STAFF_COOKIE_SECURE,
      }),
  };
}
