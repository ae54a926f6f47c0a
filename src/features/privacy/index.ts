import fs from 'node:fs/promises';
import path from 'node:path';
import type { Request, Server } from 'restify';
import type { WorkingCalendar } from '../../calendar/calendar';
import type { Locale } from '../../config/locales';
import { writeAudit } from '../../crm/audit';
import { archiveAuditLog } from '../../crm/auditArchive';
import { verifyAuditChain } from '../../crm/auditChain';
import { staffLocale } from '../../staff';
import { staffPage } from '../../staff/pages';
import type { Feature, Kernel } from '../feature';
import { registerPrivacyApi } from './api';
import { auditCsv, auditRows, parseAuditQuery, renderAuditPage } from './auditView';
import { ChangeRequestService } from './changeRequests';
import { ChangesPage } from './changesPage';
import type { PrivacyConfig } from './config';
import { ChangeNotifier } from './notices';
import { runRetention } from './retention';
import { customerRights, type CustomerRights } from './rights';

export { CHANGE_DECIDED, CHANGE_KINDS, ChangeRequestService, type ChangeKind } from './changeRequests';
export type { CustomerRights } from './rights';
export { cipherFromConfig } from './config';
export { resealAll, SEALING_MIGRATION, staleCounts } from './reseal';
export { runRetention } from './retention';

export interface PrivacyFeature extends Feature {
  requests: ChangeRequestService;
  rights: CustomerRights;
}

/**
 * The customers' rights, the auditors' view and retention (issue 17): change requests (correct,
 * delete, export) with two approvals and an executor, the outcome told in chat, the one-time export
 * download, consent withdrawal for the "my data" dialog, the audit log's page and CSV, the nightly
 * retention archive of the audit log and the nightly retention job of transcripts, bot state and
 * closed tickets. Sealing personal data at rest is the store's (src/store/sealedFields.ts, with the
 * key ring from ./config.ts); re-sealing is ./reseal.ts.
 */
export function privacyFeature(
  k: Pick<Kernel, 'store' | 'i18n' | 'staff' | 'logger' | 'clock' | 'events' | 'messenger' | 'customers' | 'defaultLocale' | 'timeZone'> & {
    config: PrivacyConfig & { WEBCHAT_UPLOAD_DIR: string; WEBCHAT_PUBLIC_URL?: string };
    calendar: WorkingCalendar;
  },
): PrivacyFeature {
  const { store, i18n, staff, clock, config } = k;
  const db = store.db;
  const log = k.logger.child({ feature: 'privacy' });
  const uploadDir = path.resolve(config.WEBCHAT_UPLOAD_DIR);
  const retention = { transcriptDays: config.RETENTION_TRANSCRIPT_DAYS, botStateDays: config.RETENTION_BOT_STATE_DAYS, closedTicketDays: config.RETENTION_CLOSED_TICKET_DAYS };
  const requests = new ChangeRequestService({
    db,
    events: k.events,
    customers: k.customers,
    calendar: k.calendar,
    clock,
    removeUploads: async (names) => {
      for (const name of names) await fs.rm(path.join(uploadDir, path.basename(name)), { force: true });
    },
  });
  let baseUrl = config.WEBCHAT_PUBLIC_URL?.replace(/\/$/, '') ?? '';
  const notifier = new ChangeNotifier({ db, messenger: k.messenger, i18n, logger: log, clock, linkHours: config.PRIVACY_EXPORT_LINK_HOURS, baseUrl: () => baseUrl });
  k.events.subscribe(notifier.subscription);

  const localeOf = (req: Request): Locale => staffLocale((req.query as Record<string, unknown> | undefined)?.lang, req.headers['accept-language'], k.defaultLocale);
  const startOfDay = (day: string) => k.calendar.startOfDay(day);

  const http = (server: Server) => {
    registerPrivacyApi(server, { db, staff, requests, clock, i18n, logger: log });
    const changes = new ChangesPage({ db, requests, guard: staff.guard, i18n, logger: log, clock, timeZone: k.timeZone, localeOf });
    server.get('/staff/changes', changes.show);
    server.post('/staff/changes/:id', changes.decide);
    server.get(
      '/staff/audit',
      staffPage({ guard: staff.guard, logger: log, localeOf, forbidden: (locale, role) => i18n.t(locale, 'privacy.audit.forbidden', { role }) }, 'audit.read', async (req, locale, member) => {
        const q = parseAuditQuery(req);
        const rows = await auditRows(db, q, startOfDay);
        let chain: { ok: boolean; text: string } | undefined;
        if (q.verify) {
          const result = await verifyAuditChain(db);
          const status = result.ok ? i18n.t(locale, 'privacy.audit.chainOk', { checked: result.checked }) : i18n.t(locale, 'privacy.audit.chainBroken', { seq: result.broken?.seq ?? '-', problem: result.broken?.problem ?? '' });
          chain = { ok: result.ok, text: i18n.t(locale, 'privacy.audit.chain', { status }) };
        }
        return renderAuditPage(rows, q, { locale, member, chain }, i18n);
      }),
    );
    server.get(
      '/staff/audit/export.csv',
      staff.requireStaff('audit.read')(async (req, res, auth) => {
        const q = parseAuditQuery(req);
        const rows = await auditRows(db, q, startOfDay);
        const filter = { entity: q.entity, entityId: q.entityId, actor: q.actor, action: q.action, from: q.from, to: q.to };
        await db.$transaction((tx) => writeAudit(tx, { actor: { type: 'agent', id: auth.member.id }, action: 'audit.export', entity: 'AuditLog', entityId: '-', after: { filter, rows: rows.length }, reason: 'auditor CSV export' }));
        res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="kefu-audit-${clock().toISOString().slice(0, 10)}.csv"`, 'cache-control': 'no-store' });
        res.end(auditCsv(rows, localeOf(req), i18n));
        return undefined;
      }),
    );
    server.get(
      '/staff/api/audit',
      staff.requireStaff('audit.read')(async (req) => {
        const rows = await auditRows(db, parseAuditQuery(req), startOfDay);
        return { items: rows.map((r) => ({ ...r, before: r.maskedAt ? null : r.before, after: r.maskedAt ? null : r.after, payloadSalt: undefined })) };
      }),
    );
  };

  return {
    name: 'privacy',
    requests,
    rights: customerRights(db, requests, clock),
    http,
    jobs: [
      { name: 'audit.archive', schedule: '10 3 * * *', run: (now) => archiveAuditLog(db, { retentionDays: config.AUDIT_RETENTION_DAYS, now }) },
      { name: 'privacy.retention', schedule: config.RETENTION_CRON, run: (now) => runRetention({ store, policy: retention, timeZone: k.timeZone, logger: log }, now) },
    ],
    start: ({ url }) => {
      if (!baseUrl) baseUrl = url;
    },
    banner: () => [
      { kind: 'link', link: 'audit', path: '/staff/audit' },
      { kind: 'link', link: 'changes', path: '/staff/changes' },
    ],
  };
}
