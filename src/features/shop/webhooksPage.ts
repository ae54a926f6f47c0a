import type { Request, Response } from 'restify';
import { formatDateTime } from '../../../dialogs/format';
import type { Locale } from '../../config/locales';
import { AppError } from '../../errors';
import type { I18n } from '../../i18n/i18n';
import type { Logger } from '../../logger';
import { FORM_PAGE_HEADERS, STAFF_PAGE_STYLE, answerStaffPage, can, escapeHtml, flashHtml, readStaffForm, type StaffAuth, type StaffGuard, type StaffMember } from '../../staff';
import { retryReason, WEBHOOK_STATES, type StuckWebhook, type StuckWebhooks, type WebhookState } from './stuckWebhooks';

export interface WebhooksPageDeps {
  webhooks: StuckWebhooks;
  guard: StaffGuard;
  i18n: I18n;
  logger: Logger;
  timeZone: string;
  maxAttempts: number;
  localeOf: (req: Request) => Locale;
}

interface View {
  locale: Locale;
  member: StaffMember;
  csrfToken: string | undefined;
  state: WebhookState;
  flash?: { ok: boolean; text: string };
}

export function webhookState(value: unknown): WebhookState {
  return WEBHOOK_STATES.find((s) => s === value) ?? 'all';
}

const STYLE = `${STAFF_PAGE_STYLE}
td.error{font-family:monospace;word-break:break-word;max-width:22rem}.dead{color:#b00;font-weight:bold}nav a[aria-current]{font-weight:bold}
form.retry{display:flex;flex-direction:column;gap:.35rem;min-width:13rem}form.retry textarea{min-height:2.5rem}`;

/**
 * The staff page of the shop's stuck webhooks (issue 18): failing and dead ones, newest first, with
 * what each concerns, its attempts, last error and next retry; a supervisor or an administrator sends
 * one again with a reason. The form posts here without script (the session's CSRF token in a hidden
 * field); a refusal (no reason, delivered meanwhile) comes back in words.
 */
export class WebhooksPage {
  constructor(private readonly deps: WebhooksPageDeps) {}

  private t(locale: Locale, key: string, vars?: Record<string, string | number>): string {
    return escapeHtml(this.deps.i18n.t(locale, `shop.webhooks.${key}`, vars));
  }

  /** GET /staff/webhooks[?state=failing|dead|all][&done=<id>] */
  readonly show = async (req: Request, res: Response): Promise<void> => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    const locale = this.deps.localeOf(req);
    await answerStaffPage(req, res, this.pageOptions(locale, 'GET'), async ({ member, csrfToken }) => {
      const view = { locale, member, csrfToken };
      const flash = typeof q.done === 'string' ? { ok: true, text: this.deps.i18n.t(view.locale, 'shop.webhooks.done', { id: q.done }) } : undefined;
      return { status: 200, html: await this.render({ ...view, state: webhookState(q.state), flash }) };
    });
  };

  /** POST /staff/webhooks/:id/retry (a form: csrf, reason, state) → 303 back to the list, or the list with why it was refused. */
  readonly retry = async (req: Request, res: Response): Promise<void> => {
    const { form, headers } = readStaffForm(req);
    const id = String((req.params as Record<string, string>).id ?? '');
    const state = webhookState(form.get('state'));
    const locale = this.deps.localeOf(req);
    await answerStaffPage(req, res, { ...this.pageOptions(locale, 'POST'), headers }, async ({ member, csrfToken }) => {
      const view = { locale, member, csrfToken };
      try {
        await this.deps.webhooks.retry(id, view.member, retryReason({ reason: form.get('reason') }));
      } catch (err) {
        if (!(err instanceof AppError) || !['invalid_request', 'conflict', 'not_found'].includes(err.code)) throw err;
        const text = this.deps.i18n.t(view.locale, `shop.webhooks.refused.${err.code}`);
        return { status: err.status, html: await this.render({ ...view, state, flash: { ok: false, text } }) };
      }
      return { status: 303, location: `/staff/webhooks?lang=${view.locale}&state=${state}&done=${encodeURIComponent(id)}` };
    });
  };

  /** The guard's part: read to see, retry to send again; the words of its refusals. */
  private pageOptions(locale: Locale, method: 'GET' | 'POST') {
    return {
      guard: this.deps.guard,
      logger: this.deps.logger,
      locale,
      method,
      permission: method === 'GET' ? ('shop.webhooks.read' as const) : ('shop.webhooks.retry' as const),
      home: '/staff/webhooks',
      pageHeaders: FORM_PAGE_HEADERS,
      // A POST by a role that may read: its form is stale or from another site, or its role may not retry.
      forbidden: (auth: StaffAuth | undefined) => {
        const key = method === 'GET' || !auth ? 'forbidden' : can(auth.member.role, 'shop.webhooks.retry') ? 'refused.staleForm' : 'refused.forbidden';
        return this.deps.i18n.t(locale, `shop.webhooks.${key}`, { role: auth?.member.role ?? '-' });
      },
      back: { href: `/staff/webhooks?lang=${locale}`, text: this.deps.i18n.t(locale, 'shop.webhooks.back') },
      failed: this.deps.i18n.t(locale, 'shop.webhooks.failed'),
    };
  }

  private async render(view: View): Promise<string> {
    const { locale, member, state } = view;
    const items = await this.deps.webhooks.list(state);
    const when = (d: Date | null) => (d ? escapeHtml(formatDateTime(d, locale, this.deps.timeZone)) : '');
    const head = ['since', 'type', 'concerns', 'state', 'attempts', 'lastError', 'next', 'action'].map((c) => `<th>${this.t(locale, `col.${c}`)}</th>`).join('');
    const rows = items.map(
      (w) =>
        `<tr data-id="${escapeHtml(w.id)}"><td>${when(w.since)}</td><td>${this.type(w, locale)}</td><td>${this.concerns(w, locale)}</td>` +
        `<td class="state${w.state === 'dead' ? ' dead' : ''}">${this.t(locale, `state.${w.state}`)}</td><td class="attempts">${w.attempts}</td>` +
        `<td class="error">${escapeHtml(w.lastError ?? '')}<br><small>${this.t(locale, 'lastAttempt', { at: formatDateTime(w.lastAttemptAt, locale, this.deps.timeZone) })}</small></td>` +
        `<td class="next">${when(w.nextAttemptAt)}</td><td>${this.action(w, view)}</td></tr>`,
    );
    const nav = WEBHOOK_STATES.map((s) => `<a id="filter-${s}" href="/staff/webhooks?lang=${locale}&amp;state=${s}"${s === state ? ' aria-current="page"' : ''}>${this.t(locale, `filter.${s}`)}</a>`).join(' · ');
    const flash = flashHtml(view.flash);
    return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${this.t(locale, 'title')}</title><link rel="icon" href="/favicon.svg"><style>${STYLE}</style></head>
<body><header><h1>${this.t(locale, 'title')}</h1><span id="member">${this.t(locale, 'signedInAs', { name: member.name, role: member.role })}</span><nav>${nav}</nav></header>
<main>${flash}<p id="intro">${this.t(locale, `intro.${state}`, { count: items.length, max: this.deps.maxAttempts })}</p>
${items.length ? `<table id="webhooks"><tr>${head}</tr>${rows.join('')}</table>` : `<p id="none">${this.t(locale, 'none')}</p>`}</main></body></html>`;
  }

  private type(w: StuckWebhook, locale: Locale): string {
    const key = `shop.webhooks.type.${w.type}`;
    return `${this.deps.i18n.has(locale, key) ? `${escapeHtml(this.deps.i18n.t(locale, key))}<br>` : ''}<code>${escapeHtml(w.type)}</code>`;
  }

  private concerns(w: StuckWebhook, locale: Locale): string {
    const lines = [
      w.orderNumber ? this.t(locale, 'order', { number: w.orderNumber }) : '',
      w.ticketNumber ? this.t(locale, 'ticket', { number: w.ticketNumber }) : '',
      w.customerId ? this.t(locale, 'customer', { id: w.customerId }) : '',
    ];
    return lines.filter(Boolean).join('<br>');
  }

  private action(w: StuckWebhook, view: View): string {
    const { locale } = view;
    if (!can(view.member.role, 'shop.webhooks.retry')) return this.t(locale, 'supervisorsRetry');
    return `<form class="retry" method="post" action="/staff/webhooks/${encodeURIComponent(w.id)}/retry?lang=${locale}">
<input type="hidden" name="csrf" value="${escapeHtml(view.csrfToken ?? '')}"><input type="hidden" name="state" value="${view.state}">
<label>${this.t(locale, 'reason')} <textarea name="reason" required minlength="3" maxlength="1000"></textarea></label>
<button type="submit">${this.t(locale, 'retry')}</button></form>`;
  }
}
