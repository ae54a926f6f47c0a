import type { Request } from 'restify';
import { z } from 'zod';
import type { Prisma } from '../../store/records';
import type { Locale } from '../../config/locales';
import { AppError } from '../../errors';
import type { I18n } from '../../i18n/i18n';
import type { Db } from '../../store/db';
import { escapeHtml } from '../../staff/pages';

/** Rows one page or one CSV shows at most (newest first). */
export const AUDIT_LIMIT = 5000;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
export const auditQuerySchema = z
  .object({
    entity: z.string().trim().max(64).optional(),
    entityId: z.string().trim().max(128).optional(),
    /** An actor id, or a type (customer, agent, bot, system). */
    actor: z.string().trim().max(128).optional(),
    action: z.string().trim().max(64).optional(),
    from: day.optional(),
    to: day.optional(),
    lang: z.string().optional(),
    verify: z.literal('1').optional(),
    limit: z.coerce.number().int().min(1).max(AUDIT_LIMIT).default(500),
  })
  .strict();
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export function parseAuditQuery(req: Request): AuditQuery {
  const result = auditQuerySchema.safeParse(Object.fromEntries(Object.entries((req.query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== '')));
  if (!result.success) throw new AppError('invalid_request', result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return result.data;
}

/** The audit rows a query selects, newest first; dates are shop-local days (`startOfDay` from the working calendar). */
export async function auditRows(db: Db, q: AuditQuery, startOfDay: (day: string) => Date) {
  const where: Prisma.AuditLogWhereInput = {};
  if (q.entity) where.entity = q.entity;
  if (q.entityId) where.entityId = q.entityId;
  if (q.action) where.action = { startsWith: q.action };
  if (q.actor) where.OR = [{ actorId: q.actor }, { actorType: q.actor }];
  if (q.from || q.to) where.createdAt = { ...(q.from ? { gte: startOfDay(q.from) } : {}), ...(q.to ? { lt: new Date(startOfDay(q.to).getTime() + 86_400_000) } : {}) };
  return db.auditLog.findMany({ where, orderBy: [{ createdAt: 'desc' }, { seq: 'desc' }], take: q.limit });
}

type Row = Awaited<ReturnType<typeof auditRows>>[number];

const COLUMNS = ['when', 'actor', 'action', 'entity', 'entityId', 'reason', 'before', 'after'] as const;

function cells(r: Row, masked: string): string[] {
  const json = (v: unknown) => (r.maskedAt ? masked : v === null || v === undefined ? '' : JSON.stringify(v));
  return [r.createdAt.toISOString(), `${r.actorType}${r.actorId ? `:${r.actorId}` : ''}`, r.action, r.entity, r.entityId, r.reason ?? '', json(r.before), json(r.after)];
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break; a text a spreadsheet
 * would run as a formula (= + - @, tab, carriage return first) gets a leading apostrophe, unless it is a plain number.
 */
export function csvCell(value: string): string {
  const s = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function auditCsv(rows: Row[], locale: Locale, i18n: I18n): string {
  const t = (k: string) => i18n.t(locale, `privacy.audit.${k}`);
  const lines = [COLUMNS.map((c) => t(c)), ...rows.map((r) => cells(r, t('masked')))];
  return `\ufeff${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const STYLE = `body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:1rem;color:#222}header{display:flex;gap:1rem;align-items:baseline;flex-wrap:wrap}
form{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top}
td.json{font-family:monospace;word-break:break-all;max-width:24rem}.broken{color:#b00;font-weight:bold}`;

export function renderAuditPage(rows: Row[], q: AuditQuery, ctx: { locale: Locale; member: { name: string; role: string }; chain?: { ok: boolean; text: string } }, i18n: I18n): string {
  const { locale } = ctx;
  const t = (k: string, vars?: Record<string, string | number>) => escapeHtml(i18n.t(locale, `privacy.audit.${k}`, vars));
  const params = new URLSearchParams(Object.entries({ entity: q.entity, entityId: q.entityId, actor: q.actor, action: q.action, from: q.from, to: q.to, lang: locale }).filter((e): e is [string, string] => Boolean(e[1])));
  const input = (name: keyof AuditQuery, type = 'text') => `<label>${t(name)} <input type="${type}" name="${name}" value="${escapeHtml(String(q[name] ?? ''))}"></label>`;
  const head = `<tr>${COLUMNS.map((c) => `<th>${t(c)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${cells(r, i18n.t(locale, 'privacy.audit.masked')).map((c, i) => `<td${i >= 6 ? ' class="json"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('title')}</title><link rel="icon" href="/favicon.svg"><style>${STYLE}</style></head>
<body><header><h1>${t('title')}</h1><span id="member">${t('signedInAs', { name: ctx.member.name, role: ctx.member.role })}</span></header>
<main><form method="get" action="/staff/audit">${input('entity')}${input('entityId')}${input('actor')}${input('action')}${input('from', 'date')}${input('to', 'date')}
<input type="hidden" name="lang" value="${locale}"><button type="submit">${t('filter')}</button></form>
<p><a id="csv" href="/staff/audit/export.csv?${escapeHtml(params.toString())}">${t('csv')}</a> · <a id="verify" href="/staff/audit?${escapeHtml(params.toString())}&amp;verify=1">${t('verify')}</a></p>
${ctx.chain ? `<p id="chain"${ctx.chain.ok ? '' : ' class="broken"'}>${escapeHtml(ctx.chain.text)}</p>` : ''}
<p id="shown">${t('shown', { count: rows.length, limit: q.limit })}</p>
${rows.length ? `<table id="audit">${head}${body}</table>` : `<p>${t('none')}</p>`}</main></body></html>`;
}
