import type { Request, Response, Server } from 'restify';
import { htmlPageCsp } from '../../http/securityHeaders';
import type { Locale } from '../../config/locales';
import { AppError } from '../../errors';
import { sendError } from '../../http/errors';
import { staffLocale, type Permission } from '../../staff';
import type { Feature, Kernel } from '../feature';
import type { SegmentFigures } from '../segments';
import { escapeHtml, renderDashboard, renderTranscript } from './page';
import { DashboardReports } from './report';
import { TABLES, reportTables, toCsv, type TableName } from './tables';

export { DashboardReports } from './report';

/** Who sees the dashboard: the one role table in src/staff/permissions.ts. */
export const DASHBOARD_PERMISSION: Permission = 'dashboard.read';

export interface DashboardFeature extends Feature {
  reports: DashboardReports;
}

const HTML_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY' };

/**
 * The managers' dashboard, behind the staff sign-in (managers and supervisors):
 *   GET /dashboard?from=&to=&granularity=&lang=   the page (zh-CN / en-US), printable
 *   GET /dashboard/api/report?from=&to=&granularity=   the same figures as JSON
 *   GET /dashboard/export.csv?table=&from=&to=&granularity=   one table as CSV
 *   GET /dashboard/conversations/:id   a conversation's transcript (drill-down from a low score)
 */
export function dashboardFeature(k: Pick<Kernel, 'store' | 'i18n' | 'staff' | 'logger' | 'timeZone' | 'clock' | 'defaultLocale'> & { lowScore: number; segments?: Pick<SegmentFigures, 'report'> }): DashboardFeature {
  const { store, i18n, staff, timeZone } = k;
  const log = k.logger.child({ feature: 'dashboard' });
  const reports = new DashboardReports({ db: store.db, provider: store.provider, timeZone, clock: k.clock, lowScore: k.lowScore, segments: k.segments, i18n });

  const localeOf = (req: Request): Locale => staffLocale((req.query as Record<string, unknown> | undefined)?.lang, req.headers['accept-language'], k.defaultLocale);

  /** A page for a browser: not signed in -> the sign-in page, back here after; a role without access -> 403 in words. */
  const page = (render: (req: Request, locale: Locale, member: { name: string; role: string }) => Promise<string>) => async (req: Request, res: Response) => {
    const locale = localeOf(req);
    try {
      const auth = await staff.guard.check('GET', req.headers, DASHBOARD_PERMISSION);
      const html = await render(req, locale, auth.member);
      res.writeHead(200, { ...HTML_HEADERS, 'content-language': locale, 'content-security-policy': htmlPageCsp(html) });
      res.end(html);
    } catch (err) {
      if (err instanceof AppError && err.code === 'unauthorized') {
        res.writeHead(302, { location: `/staff/signin?lang=${locale}&next=${encodeURIComponent(req.url ?? '/dashboard')}` });
        res.end();
        return;
      }
      if (err instanceof AppError && err.code === 'forbidden') {
        const auth = await staff.guard.authenticate(req.headers);
        res.writeHead(403, HTML_HEADERS);
        res.end(`<!doctype html><html lang="${locale}"><meta charset="utf-8"><p id="forbidden">${escapeHtml(i18n.t(locale, 'dashboard.forbidden', { role: auth?.member.role ?? '-' }))}</p></html>`);
        return;
      }
      sendError(res, err, { logger: log });
    }
  };

  const http = (server: Server) => {
    server.get(
      '/dashboard',
      page(async (req, locale, member) => {
        const query = reports.parse((req.query ?? {}) as Record<string, unknown>);
        return renderDashboard(await reports.report(query), { locale, query, member, timeZone }, i18n);
      }),
    );
    server.get(
      '/dashboard/conversations/:id',
      page(async (req, locale) => {
        const id = String(req.params.id);
        const conversation = await store.db.conversation.findUnique({ where: { id }, select: { id: true } });
        if (!conversation) throw new AppError('not_found', `No conversation ${id}`);
        const messages = await store.db.message.findMany({ where: { conversationId: id }, orderBy: { createdAt: 'asc' }, select: { createdAt: true, senderType: true, text: true }, take: 2000 });
        return renderTranscript(id, messages.map((m) => ({ at: m.createdAt, sender: m.senderType, text: m.text ?? '' })), locale, timeZone, i18n);
      }),
    );
    server.get(
      '/dashboard/api/report',
      staff.requireStaff(DASHBOARD_PERMISSION)(async (req) => reports.report(reports.parse((req.query ?? {}) as Record<string, unknown>))),
    );
    server.get(
      '/dashboard/export.csv',
      staff.requireStaff(DASHBOARD_PERMISSION)(async (req, res) => {
        const { table: name, ...rest } = (req.query ?? {}) as Record<string, unknown>;
        if (!TABLES.includes(name as TableName)) throw new AppError('invalid_request', `table must be one of ${TABLES.join(', ')}`);
        const query = reports.parse(rest);
        const locale = localeOf(req);
        const table = reportTables(await reports.report(query), locale, i18n, timeZone).find((t) => t.name === name)!;
        res.writeHead(200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="kefu-${name as string}-${query.from}-${query.to}.csv"`,
          'cache-control': 'no-store',
        });
        res.end(toCsv(table));
        return undefined;
      }),
    );
  };

  return { name: 'dashboard', reports, http, banner: () => [{ kind: 'link', link: 'dashboard', path: '/dashboard' }] };
}
