import type { Request, Response } from 'restify';
import { formatDateTime } from '../../../dialogs/format';
import type { ChangeRequest } from './types';
import type { Locale } from '../../config/locales';
import { AppError } from '../../errors';
import type { I18n } from '../../i18n/i18n';
import type { Logger } from '../../logger';
import { FORM_PAGE_HEADERS, STAFF_PAGE_STYLE, answerStaffPage, can, escapeHtml, flashHtml, readStaffForm, type Permission, type StaffAuth, type StaffGuard, type StaffMember } from '../../staff';
import type { Db } from '../../store/db';
import { AWAITING, STEPS, type ChangeRequestService, type Step } from './changeRequests';

/** The permission each step of a change request needs (src/staff/permissions.ts). */
export const STEP_PERMISSION: Record<Step, Permission> = {
  supervisor: 'changes.approve.supervisor',
  crm_head: 'changes.approve.crm_head',
  execution: 'changes.execute',
};

/** The step a request waits for, if it is open. */
export function stepOf(request: Pick<ChangeRequest, 'status'>): Step | undefined {
  return STEPS.find((s) => AWAITING[s] === request.status);
}

export interface ChangesPageDeps {
  db: Db;
  requests: ChangeRequestService;
  guard: StaffGuard;
  i18n: I18n;
  logger: Logger;
  clock: () => Date;
  timeZone: string;
  localeOf: (req: Request) => Locale;
}

/** Which words explain a refused decision: no choice, no reason, a correction the data does not take, or the service's code. */
function refusal(err: AppError, decision: string | null, reason: string | null): string {
  if (err.code !== 'invalid_request') return err.code;
  if (decision !== 'approve' && decision !== 'refuse') return 'decision';
  return (reason ?? '').trim().length < 3 ? 'invalid_request' : 'cannotApply';
}

interface View {
  locale: Locale;
  member: StaffMember;
  csrfToken: string | undefined;
  all: boolean;
  /** A line at the top: what the last decision did, or why it was refused. */
  flash?: { ok: boolean; text: string };
}

const STYLE = `${STAFF_PAGE_STYLE}
.overdue{color:#b00;font-weight:bold}form.decide{display:flex;flex-direction:column;gap:.35rem;min-width:14rem}form.decide textarea{min-height:3rem}
form.decide .buttons{display:flex;gap:.5rem}ol.steps{margin:0;padding-left:1.1rem}`;

/**
 * The staff page for change requests to customer data (issue 17): the requests a role may see, the
 * step each waits for and its deadline, who decided what, and, for the person whose step it is, a
 * form to approve or refuse with a reason (or, for the executor, to carry it out). The form posts to
 * this page (no script): the session's CSRF token travels in a hidden field, and a refusal of the
 * service (no reason, someone decided first, the same person twice) comes back in words.
 */
export class ChangesPage {
  constructor(private readonly deps: ChangesPageDeps) {}

  private t(locale: Locale, key: string, vars?: Record<string, string | number>): string {
    return escapeHtml(this.deps.i18n.t(locale, `privacy.changes.${key}`, vars));
  }

  /** GET /staff/changes[?all=1] */
  readonly show = async (req: Request, res: Response): Promise<void> => {
    const locale = this.deps.localeOf(req);
    const q = (req.query ?? {}) as Record<string, unknown>;
    await answerStaffPage(req, res, this.pageOptions(locale, 'GET'), async ({ member, csrfToken }) => {
      const done = typeof q.done === 'string' && typeof q.id === 'string' ? { decision: q.done, id: q.id } : undefined;
      const flash = done && ['approve', 'refuse', 'execute'].includes(done.decision) ? { ok: true, text: this.deps.i18n.t(locale, `privacy.changes.done.${done.decision}`, { id: done.id }) } : undefined;
      return { status: 200, html: await this.render({ locale, member, csrfToken, all: q.all === '1', flash }) };
    });
  };

  /** POST /staff/changes/:id (a form: csrf, decision, reason) → 303 back to the list, or the list again with the reason it failed. */
  readonly decide = async (req: Request, res: Response): Promise<void> => {
    const locale = this.deps.localeOf(req);
    const { form, headers } = readStaffForm(req);
    const id = String((req.params as Record<string, string>).id ?? '');
    await answerStaffPage(req, res, { ...this.pageOptions(locale, 'POST'), headers }, async ({ member, csrfToken }) => {
      // Read once signed in: the step the request waits for now (none for an unknown or closed one).
      let step = await this.deps.requests.get(id).then(stepOf, () => undefined);
      const decision = form.get('decision');
      if (step && !can(member.role, STEP_PERMISSION[step])) {
        // A step of theirs that the request has passed meanwhile: it moved on (409); otherwise not their step at all (403).
        const passed = STEPS.slice(0, STEPS.indexOf(step)).some((s) => can(member.role, STEP_PERMISSION[s]));
        if (!passed) return { status: 403, html: await this.render({ locale, member, csrfToken, all: form.get('all') === '1', flash: { ok: false, text: this.deps.i18n.t(locale, 'privacy.changes.refused.forbiddenStep', { role: member.role }) } }) };
        step = undefined;
      }
      try {
        if (!step) throw new AppError('conflict', 'not open');
        if (decision !== 'approve' && decision !== 'refuse') throw new AppError('invalid_request', 'decision');
        await this.deps.requests.decide(id, step, member, decision, form.get('reason') ?? '');
      } catch (err) {
        if (!(err instanceof AppError) || !['invalid_request', 'conflict', 'forbidden', 'not_found'].includes(err.code)) throw err;
        const text = this.deps.i18n.t(locale, `privacy.changes.refused.${refusal(err, decision, form.get('reason'))}`);
        return { status: err.status, html: await this.render({ locale, member, csrfToken, all: form.get('all') === '1', flash: { ok: false, text } }) };
      }
      const done = decision === 'approve' && step === 'execution' ? 'execute' : decision;
      return { status: 303, location: `/staff/changes?lang=${locale}&done=${done}&id=${encodeURIComponent(id)}` };
    });
  };

  /** The guard's part: read permission for both (a step's own permission is checked in decide), the words of its refusals. */
  private pageOptions(locale: Locale, method: 'GET' | 'POST') {
    return {
      guard: this.deps.guard,
      logger: this.deps.logger,
      locale,
      method,
      permission: 'changes.read' as const,
      home: '/staff/changes',
      pageHeaders: FORM_PAGE_HEADERS,
      // A POST refused by the guard itself: the form's token is not this session's, or it came from another site.
      forbidden: (auth: StaffAuth | undefined) => this.deps.i18n.t(locale, `privacy.changes.${method === 'GET' || !auth ? 'forbidden' : 'refused.staleForm'}`, { role: auth?.member.role ?? '-' }),
      back: { href: `/staff/changes?lang=${locale}`, text: this.deps.i18n.t(locale, 'privacy.changes.back') },
      failed: this.deps.i18n.t(locale, 'privacy.changes.failed'),
    };
  }

  private async render(view: View): Promise<string> {
    const { locale, member } = view;
    const items = await this.deps.requests.list(view.all ? {} : { open: true });
    const customers = await this.deps.db.customer.findMany({ where: { id: { in: [...new Set(items.map((r) => r.customerId))] } }, select: { id: true, name: true } });
    const names = new Map(customers.map((c) => [c.id, c.name]));
    const deciders = [...new Set(items.flatMap((r) => [r.supervisorId, r.crmHeadId, r.executorId, r.refusedById]).filter((x): x is string => Boolean(x)))];
    const staffNames = new Map((await this.deps.db.agent.findMany({ where: { id: { in: deciders } }, select: { id: true, name: true } })).map((a) => [a.id, a.name]));
    const who = (id: string) => staffNames.get(id) ?? id;
    const now = this.deps.clock();
    const at = (d: Date | null) => (d ? formatDateTime(d, locale, this.deps.timeZone) : '');
    const when = (d: Date | null) => escapeHtml(at(d));
    const head = ['requested', 'customer', 'kind', 'reason', 'status', 'due', 'steps', 'action'].map((c) => `<th>${this.t(locale, `col.${c}`)}</th>`).join('');
    const rows = items.map((r) => {
      const step = stepOf(r);
      const overdue = step !== undefined && r.stepDueAt.getTime() < now.getTime();
      const details = r.kind === 'correct' && r.details && typeof r.details === 'object' ? (r.details as { field?: string; value?: string }) : undefined;
      const kind = `${this.t(locale, `kind.${r.kind}`)}${details?.field ? `<br>${this.t(locale, `field.${details.field}`)}: ${escapeHtml(String(details.value ?? ''))}` : ''}`;
      const customer = `${escapeHtml(names.get(r.customerId) ?? this.deps.i18n.t(locale, 'privacy.changes.noName'))}<br><small>${escapeHtml(r.customerId)}</small>`;
      const due = step ? `<span${overdue ? ' class="overdue"' : ''}>${when(r.stepDueAt)}${overdue ? ` ${this.t(locale, 'overdue')}` : ''}</span>` : '';
      return `<tr data-id="${escapeHtml(r.id)}"><td>${when(r.createdAt)}</td><td>${customer}</td><td>${kind}</td><td>${escapeHtml(r.reason)}</td><td class="status">${this.t(locale, `status.${r.status}`)}</td><td>${due}</td><td>${this.steps(r, locale, at, who)}</td><td>${this.action(r, step, view)}</td></tr>`;
    });
    const flash = flashHtml(view.flash);
    const filter = view.all
      ? `<a id="filter" href="/staff/changes?lang=${locale}">${this.t(locale, 'showOpen')}</a>`
      : `<a id="filter" href="/staff/changes?lang=${locale}&amp;all=1">${this.t(locale, 'showAll')}</a>`;
    return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${this.t(locale, 'title')}</title><link rel="icon" href="/favicon.svg"><style>${STYLE}</style></head>
<body><header><h1>${this.t(locale, 'title')}</h1><span id="member">${this.t(locale, 'signedInAs', { name: member.name, role: member.role })}</span> ${filter}</header>
<main>${flash}<p>${this.t(locale, view.all ? 'introAll' : 'introOpen', { count: items.length })}</p>
${items.length ? `<table id="requests"><tr>${head}</tr>${rows.join('')}</table>` : `<p id="none">${this.t(locale, 'none')}</p>`}</main></body></html>`;
  }

  /** Who decided which step, and a refusal's reason. */
  /** (`when` and `who` give plain text: this.t escapes what it is given.) */
  private steps(r: ChangeRequest, locale: Locale, when: (at: Date | null) => string, who: (id: string) => string): string {
    const lines: string[] = [];
    if (r.supervisorId) lines.push(this.t(locale, 'step.supervisor', { name: who(r.supervisorId), at: when(r.supervisorAt) }));
    if (r.crmHeadId) lines.push(this.t(locale, 'step.crm_head', { name: who(r.crmHeadId), at: when(r.crmHeadAt) }));
    if (r.executorId) lines.push(this.t(locale, 'step.execution', { name: who(r.executorId), at: when(r.executedAt) }));
    if (r.refusedById) lines.push(this.t(locale, 'step.refused', { name: who(r.refusedById), at: when(r.refusedAt), reason: r.refusalReason ?? '' }));
    return lines.length ? `<ol class="steps">${lines.map((l) => `<li>${l}</li>`).join('')}</ol>` : '';
  }

  /** The form for the person whose step it is; otherwise who the request waits for. */
  private action(r: ChangeRequest, step: Step | undefined, view: View): string {
    const { locale, member } = view;
    if (!step) {
      if (r.kind === 'export' && r.status === 'DONE' && can(member.role, 'changes.execute')) {
        return `<a href="/staff/api/change-requests/${encodeURIComponent(r.id)}/export">${this.t(locale, 'package')}</a>`;
      }
      return '';
    }
    if (!can(member.role, STEP_PERMISSION[step])) return this.t(locale, `waitsFor.${step}`);
    if ([r.supervisorId, r.crmHeadId].includes(member.id)) return this.t(locale, 'anotherPerson');
    const approve = step === 'execution' ? 'execute' : 'approve';
    return `<form class="decide" method="post" action="/staff/changes/${encodeURIComponent(r.id)}?lang=${locale}">
<input type="hidden" name="csrf" value="${escapeHtml(view.csrfToken ?? '')}">${view.all ? '<input type="hidden" name="all" value="1">' : ''}
<label>${this.t(locale, 'reason')} <textarea name="reason" required minlength="3" maxlength="1000"></textarea></label>
<span class="buttons"><button type="submit" name="decision" value="approve">${this.t(locale, approve)}</button><button type="submit" name="decision" value="refuse">${this.t(locale, 'refuse')}</button></span></form>`;
  }
}
