import type { ChangeRequest } from './types';
import type { WorkingCalendar } from '../../calendar/calendar';
import { writeAudit, type Actor } from '../../crm/audit';
import { CONTACT_FIELDS, type ContactField, type CustomerService } from '../../crm/customers';
import { AppError } from '../../errors';
import type { EventLog } from '../../events/eventLog';
import type { StaffMember } from '../../staff';
import type { Db } from '../../store/db';
import { anonymizeCustomer } from './anonymize';

export const CHANGE_KINDS = ['correct', 'delete', 'export'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** The steps a request goes through, in order; each has its own permission (src/staff/permissions.ts). */
export const STEPS = ['supervisor', 'crm_head', 'execution'] as const;
export type Step = (typeof STEPS)[number];

export const AWAITING: Record<Step, string> = { supervisor: 'AWAITING_SUPERVISOR', crm_head: 'AWAITING_CRM_HEAD', execution: 'AWAITING_EXECUTION' };
const OPEN_STATUSES = Object.values(AWAITING);

/** The event that tells the customer how their request ended (refused at a step, or carried out). */
export const CHANGE_DECIDED = 'privacy.request_decided';

export interface ChangeDecided {
  requestId: string;
  customerId: string;
  kind: ChangeKind;
  outcome: 'refused' | 'done';
  reason: string | null;
}

export interface Deadlines {
  /** Working days each step may take. */
  stepWorkingDays: number;
  /** Working days the whole request may take (GB/T 35273-2020 §8.7: within 30 days; the shop promises fewer). */
  totalWorkingDays: number;
}

export const DEFAULT_DEADLINES: Deadlines = { stepWorkingDays: 1, totalWorkingDays: 10 };

export interface OpenRequest {
  customerId: string;
  kind: ChangeKind;
  reason: string;
  details?: { field: ContactField; value: string };
  actor: Actor;
  locale?: string | null;
}

/**
 * Change requests for a customer's data (correct, delete, export): opened with a reason (by the
 * customer in chat or by staff), approved by a supervisor, then by the CRM head, then carried out by
 * an executor (admin); each of the three may refuse with a reason. Three different people; every
 * step is an audit row with its reason, written in the step's transaction; the customer is told the
 * outcome in chat through the event outbox (notices.ts). Deadlines are on the tickets' working
 * calendar: each step gets `stepWorkingDays`, the whole request `totalWorkingDays`.
 */
export class ChangeRequestService {
  constructor(
    private readonly deps: {
      db: Db;
      events: EventLog;
      customers: Pick<CustomerService, 'updateContactIn'>;
      calendar: WorkingCalendar;
      clock: () => Date;
      deadlines?: Deadlines;
      /** Removes the customer's uploaded files after a deletion committed. */
      removeUploads?: (names: string[]) => Promise<void>;
    },
  ) {}

  private get deadlines(): Deadlines {
    return this.deps.deadlines ?? DEFAULT_DEADLINES;
  }

  private due(from: Date, workingDays: number): Date {
    return this.deps.calendar.addWorkingTime(from, workingDays * this.deps.calendar.businessDayMs);
  }

  /** Opens a request (or returns the customer's open one of the same kind: asking twice is one request). */
  async open(input: OpenRequest): Promise<{ request: ChangeRequest; created: boolean }> {
    const reason = input.reason.trim();
    if (reason.length < 3) throw new AppError('invalid_request', 'reason: say why (at least 3 characters)');
    if (input.kind === 'correct' && (!input.details || !CONTACT_FIELDS.includes(input.details.field))) {
      throw new AppError('invalid_request', `details: a correction names a field (${CONTACT_FIELDS.join(', ')}) and its new value`);
    }
    const now = this.deps.clock();
    return this.deps.db.$transaction(async (tx) => {
      const customer = await tx.customer.findUnique({ where: { id: input.customerId }, select: { id: true, locale: true } });
      if (!customer) throw new AppError('not_found', `No customer ${input.customerId}`);
      const existing = await tx.changeRequest.findFirst({ where: { customerId: input.customerId, kind: input.kind, status: { in: OPEN_STATUSES } } });
      if (existing && input.kind !== 'correct') return { request: existing, created: false };
      const request = await tx.changeRequest.create({
        data: {
          customerId: input.customerId,
          kind: input.kind,
          details: input.details ?? undefined,
          reason,
          requestedByType: input.actor.type,
          requestedById: input.actor.id ?? null,
          locale: input.locale ?? customer.locale,
          stepDueAt: this.due(now, this.deadlines.stepWorkingDays),
          dueAt: this.due(now, this.deadlines.totalWorkingDays),
          createdAt: now,
        },
      });
      await writeAudit(tx, { actor: input.actor, action: 'change_request.open', entity: 'ChangeRequest', entityId: request.id, after: { customerId: input.customerId, kind: input.kind, status: request.status, dueAt: request.dueAt }, reason });
      return { request, created: true };
    });
  }

  async get(id: string): Promise<ChangeRequest> {
    const request = await this.deps.db.changeRequest.findUnique({ where: { id } });
    if (!request) throw new AppError('not_found', `No change request ${id}`);
    return request;
  }

  /** Requests by status (or, `open`, those still waiting for a step), the most urgent step first. */
  async list(filter: { status?: string; customerId?: string; open?: boolean } = {}): Promise<ChangeRequest[]> {
    const status = filter.open ? { in: OPEN_STATUSES } : filter.status;
    return this.deps.db.changeRequest.findMany({ where: { status, customerId: filter.customerId }, orderBy: [{ stepDueAt: 'asc' }, { createdAt: 'asc' }], take: 200 });
  }

  /**
   * One step's decision: approve moves the request on (the execution step carries it out), refuse
   * ends it. Refused with 409 when the request is not at this step (or another decision came
   * first), 403 when this person already took part in it.
   */
  async decide(id: string, step: Step, member: StaffMember, decision: 'approve' | 'refuse', reason: string): Promise<ChangeRequest> {
    const why = reason.trim();
    if (why.length < 3) throw new AppError('invalid_request', 'reason: say why (at least 3 characters)');
    const now = this.deps.clock();
    let uploads: string[] = [];
    const result = await this.deps.db.$transaction(async (tx) => {
      const request = await tx.changeRequest.findUnique({ where: { id } });
      if (!request) throw new AppError('not_found', `No change request ${id}`);
      if (request.status !== AWAITING[step]) throw new AppError('conflict', `the request is ${request.status}, not awaiting the ${step} step`);
      if ([request.supervisorId, request.crmHeadId].includes(member.id)) throw new AppError('forbidden', 'you already decided an earlier step of this request: another person must decide this one');
      const actor: Actor = { type: 'agent', id: member.id };
      const data = this.stepData(step, request, member.id, decision, why, now);
      const moved = await tx.changeRequest.updateMany({ where: { id, status: request.status, version: request.version }, data: { ...data, version: { increment: 1 } } });
      if (moved.count !== 1) throw new AppError('conflict', 'someone else decided this step first');
      if (decision === 'approve' && step === 'execution') uploads = (await this.carryOut(tx, request, actor, why, now)).uploads;
      await writeAudit(tx, { actor, action: `change_request.${step}.${decision}`, entity: 'ChangeRequest', entityId: id, before: { status: request.status }, after: { status: data.status }, reason: why });
      if (data.status === 'REFUSED' || data.status === 'DONE') {
        const payload: ChangeDecided = { requestId: id, customerId: request.customerId, kind: request.kind as ChangeKind, outcome: data.status === 'DONE' ? 'done' : 'refused', reason: data.status === 'REFUSED' ? why : null };
        await this.deps.events.record(tx, [{ type: CHANGE_DECIDED, subject: `ChangeRequest:${id}`, payload }], now);
      }
      return tx.changeRequest.findUniqueOrThrow({ where: { id } });
    });
    if (uploads.length) await this.deps.removeUploads?.(uploads);
    return result;
  }

  private stepData(step: Step, request: ChangeRequest, memberId: string, decision: 'approve' | 'refuse', reason: string, now: Date) {
    if (decision === 'refuse') return { status: 'REFUSED', refusedById: memberId, refusedAt: now, refusedStep: step, refusalReason: reason };
    const next = { stepDueAt: this.due(now, this.deadlines.stepWorkingDays) };
    if (step === 'supervisor') return { status: AWAITING.crm_head, supervisorId: memberId, supervisorAt: now, ...next };
    if (step === 'crm_head') return { status: AWAITING.execution, crmHeadId: memberId, crmHeadAt: now, ...next };
    return { status: 'DONE', executorId: memberId, executedAt: now, stepDueAt: request.stepDueAt };
  }

  /** The execution: the correction, the anonymisation, or (export) nothing here: the package is built when the customer downloads it. */
  private async carryOut(tx: Parameters<Parameters<Db['$transaction']>[0]>[0], request: ChangeRequest, actor: Actor, reason: string, now: Date): Promise<{ uploads: string[] }> {
    const why = `change request ${request.id}: ${request.reason} (executed: ${reason})`;
    if (request.kind === 'correct') {
      const details = request.details as { field: ContactField; value: string };
      const update = await this.deps.customers.updateContactIn(tx, request.customerId, details.field, details.value, actor, why);
      if (!update.ok) throw new AppError('invalid_request', `the correction cannot be applied: ${update.reason}`);
      return { uploads: [] };
    }
    if (request.kind === 'delete') {
      const result = await anonymizeCustomer(tx, request.customerId, now);
      await writeAudit(tx, { actor, action: 'customer.anonymize', entity: 'Customer', entityId: request.customerId, after: { uploads: result.uploads.length }, reason: why });
      return result;
    }
    return { uploads: [] };
  }
}
