import type { Request, Response, Server } from 'restify';
import type { Locale } from '../../config/locales';
import { answerStaffPage, can, staffLocale, type Permission, type StaffAuth } from '../../staff';
import type { Feature, Kernel } from '../feature';
import type { SegmentFigures } from '../segments';
import { renderDashboard, renderRows, renderTranscript } from './page';
import { dashboardTexts, refusal } from './query';
import { DashboardReports, type Viewer } from './report';
import { DashboardRows } from './rows';
import { TABLES, reportTables, toCsv, type TableName } from './tables';

export { DashboardReports } from './report';
export { DashboardRows } from './rows';

/** Who sees the dashboard (agents: their own figures) and who sees everyone's: the one role table in src/staff/permissions.ts. */
export const DASHBOARD_PERMISSION: Permission = 'dashboard.read';
export const DASHBOARD_ALL_PERMISSION: Permission = 'dashboard.all';

export interface DashboardFeature extends Feature {
  reports: DashboardReports;
  rows: DashboardRows;
}

type Query = Record<string, unknown>;
const queryOf = (req: Request): Query => ({ ...((req.query ?? {}) as Query) });
const viewerOf = (auth: StaffAuth): Viewer => ({ id: auth.member.id, seesAll: can(auth.member.role, DASHBOARD_ALL_PERMISSION) });

/**
 * The managers' dashboard, behind the staff sign-in (an agent sees their own figures, the other
 * roles everyone's). Every figure and list takes from, to, granularity and the filters agent,
 * category, channel, trigger:
 *   GET /dashboard?...&lang=                     the page (zh-CN / en-US), printable
 *   GET /dashboard/rows?figure=&score=&page=...  the rows behind a number (drill-down page)
 *   GET /dashboard/conversations/:id             a conversation's transcript (audit-logged)
 *   GET /dashboard/api/report?...                the figures as JSON
 *   GET /dashboard/api/rows?figure=...           the drill-down as JSON
 *   GET /dashboard/api/conversations/:id         a transcript as JSON (audit-logged)
 *   GET /dashboard/api/agents                    the agents of the agent filter (everyone's figures only)
 *   GET /dashboard/export.csv?table=...          one table as CSV
 * Refusals are 400 (403 for another agent's figures) with the reason in the asker's language (lang,
 * else Accept-Language; pages default to the shop's language, the JSON API to English).
 */
export function dashboardFeature(k: Pick<Kernel, 'store' | 'i18n' | 'staff' | 'logger' | 'timeZone' | 'clock' | 'defaultLocale'> & { lowScore: number; segments?: Pick<SegmentFigures, 'report'> }): DashboardFeature {
  const { store, i18n, staff, timeZone } = k;
  const logger = k.logger.child({ feature: 'dashboard' });
  const reports = new DashboardReports({ db: store.db, provider: store.provider, timeZone, clock: k.clock, lowScore: k.lowScore, segments: k.segments, i18n });
  const rows = new DashboardRows({ db: store.db, reports, lowScore: k.lowScore, i18n });

  const localeOf = (req: Request, fallback: Locale = k.defaultLocale): Locale => staffLocale(queryOf(req).lang, req.headers['accept-language'], fallback);
  const apiLocale = (req: Request) => localeOf(req, 'en-US');

  /** A page for a browser: not signed in -> the sign-in page, back here after; a role without access -> 403 in words. */
  const page = (render: (req: Request, locale: Locale, auth: StaffAuth) => Promise<string>) => async (req: Request, res: Response) => {
    const locale = localeOf(req);
    await answerStaffPage(
      req,
      res,
      { guard: staff.guard, logger, locale, method: 'GET', permission: DASHBOARD_PERMISSION, home: req.url ?? '/dashboard', forbidden: (auth) => i18n.t(locale, 'dashboard.forbidden', { role: auth?.member.role ?? '-' }) },
      async (auth) => ({ status: 200, html: await render(req, locale, auth) }),
    );
  };
  const agentsFor = async (viewer: Viewer) => (viewer.seesAll ? store.db.agent.findMany({ where: { active: true }, select: { id: true, name: true }, orderBy: { name: 'asc' } }) : []);
  const api = (permission: Permission, handler: (req: Request, auth: StaffAuth, locale: Locale) => Promise<unknown>) =>
    staff.requireStaff(permission)(async (req, _res, auth) => handler(req, auth, apiLocale(req)));

  const http = (server: Server) => {
    server.get(
      '/dashboard',
      page(async (req, locale, auth) => {
        const viewer = viewerOf(auth);
        const query = reports.parse(queryOf(req), locale);
        const [report, agents] = await Promise.all([reports.report(query, { viewer, locale }), agentsFor(viewer)]);
        return renderDashboard(report, { locale, query, member: auth.member, timeZone, agents, seesAll: viewer.seesAll }, i18n);
      }),
    );
    server.get(
      '/dashboard/rows',
      page(async (req, locale, auth) => {
        const query = rows.parse(queryOf(req), locale);
        return renderRows(await rows.rows(query, { viewer: viewerOf(auth), locale }), query, { locale, timeZone }, i18n);
      }),
    );
    server.get(
      '/dashboard/conversations/:id',
      page(async (req, locale, auth) => renderTranscript(await rows.transcript(String(req.params.id), viewerOf(auth), locale), locale, timeZone, i18n)),
    );
    server.get(
      '/dashboard/api/report',
      api(DASHBOARD_PERMISSION, async (req, auth, locale) => reports.report(reports.parse(queryOf(req), locale), { viewer: viewerOf(auth), locale })),
    );
    server.get(
      '/dashboard/api/rows',
      api(DASHBOARD_PERMISSION, async (req, auth, locale) => rows.rows(rows.parse(queryOf(req), locale), { viewer: viewerOf(auth), locale })),
    );
    server.get(
      '/dashboard/api/conversations/:id',
      api(DASHBOARD_PERMISSION, async (req, auth, locale) => rows.transcript(String(req.params.id), viewerOf(auth), locale)),
    );
    server.get(
      '/dashboard/api/agents',
      api(DASHBOARD_ALL_PERMISSION, async (_req, auth) => ({ agents: await agentsFor(viewerOf(auth)) })),
    );
    server.get(
      '/dashboard/export.csv',
      staff.requireStaff(DASHBOARD_PERMISSION)(async (req, res, auth) => {
        const { table: name, ...rest } = queryOf(req);
        const locale = localeOf(req);
        if (!TABLES.includes(name as TableName)) throw refusal(dashboardTexts(i18n), apiLocale(req), 'table', { known: TABLES.join(', ') });
        const query = reports.parse(rest, apiLocale(req));
        const table = reportTables(await reports.report(query, { viewer: viewerOf(auth), locale }), locale, i18n, timeZone).find((t) => t.name === name)!;
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

  return { name: 'dashboard', reports, rows, http, banner: () => [{ kind: 'link', link: 'dashboard', path: '/dashboard' }] };
}
