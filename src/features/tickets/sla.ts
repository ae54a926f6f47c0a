import { z } from 'zod';
import type { WorkingCalendar } from '../../calendar/calendar';
import { TICKET_CATEGORIES, type TicketCategory } from './types';

/**
 * SLA policies: per category, a first-response deadline and/or a resolution deadline.
 * `hours` are calendar hours (the clock runs day and night); `working_hours` and `working_days`
 * count only working time on the shop's calendar (one working day = one business day's length).
 */
export const SLA_UNITS = ['hours', 'working_hours', 'working_days'] as const;
export type SlaUnit = (typeof SLA_UNITS)[number];

export const slaDurationSchema = z.object({
  amount: z.number().positive(),
  unit: z.enum(SLA_UNITS),
});
export type SlaDuration = z.infer<typeof slaDurationSchema>;

export const slaPolicySchema = z
  .object({
    firstResponse: slaDurationSchema.nullable().optional(),
    resolution: slaDurationSchema.nullable().optional(),
  })
  .strict();
export interface SlaPolicy {
  firstResponse?: SlaDuration | null;
  resolution?: SlaDuration | null;
}
export type SlaPolicies = Record<TicketCategory, SlaPolicy>;

/**
 * Defaults from the handbooks:
 * - consultation: reply within 24 h (CRM regulation 1.(1) "24小时内响应客户咨询");
 * - complaint: a solution within 48 h (CRM regulation 1.(2) "48小时内给出投诉解决方案");
 * - return / exchange: reply within 1 working day (service manual 7.2 (1));
 * - repair: contact within 2 working days (service manual 7.2 (2));
 * - order_issue: confirm within 2 working hours (CRM process regulation, 訂單確認 "工作日2小時內");
 * - privacy_request (view / correct / delete personal data, service manual 4.3 (4)): no handbook
 *   figure; we acknowledge within 1 working day and complete within 10 working days, which stays
 *   inside the 30 days of GB/T 35273-2020 8.7 even across the Spring Festival;
 * - other: reply within 24 h, as a consultation.
 */
export const DEFAULT_SLA_POLICIES: SlaPolicies = {
  consultation: { firstResponse: { amount: 24, unit: 'hours' } },
  complaint: { resolution: { amount: 48, unit: 'hours' } },
  return: { firstResponse: { amount: 1, unit: 'working_days' } },
  exchange: { firstResponse: { amount: 1, unit: 'working_days' } },
  repair: { firstResponse: { amount: 2, unit: 'working_days' } },
  order_issue: { firstResponse: { amount: 2, unit: 'working_hours' } },
  privacy_request: { firstResponse: { amount: 1, unit: 'working_days' }, resolution: { amount: 10, unit: 'working_days' } },
  other: { firstResponse: { amount: 24, unit: 'hours' } },
};

export const slaOverridesSchema = z.partialRecord(z.enum(TICKET_CATEGORIES), slaPolicySchema);

/** Defaults with a (partial) override per category; a category's override replaces the given targets only. */
export function resolvePolicies(overrides: Partial<Record<TicketCategory, SlaPolicy>> = {}): SlaPolicies {
  const out = { ...DEFAULT_SLA_POLICIES };
  for (const category of TICKET_CATEGORIES) {
    const o = overrides[category];
    if (o) out[category] = { ...out[category], ...o };
  }
  return out;
}

/** The policy with every target multiplied by `factor` (0.5: half the time, for a valued customer). */
export function scaledPolicy(policy: SlaPolicy, factor: number): SlaPolicy {
  if (factor === 1) return policy;
  const scale = (d: SlaDuration | null | undefined) => (d ? { ...d, amount: d.amount * factor } : d);
  return { firstResponse: scale(policy.firstResponse), resolution: scale(policy.resolution) };
}

export type SlaTarget = 'first_response' | 'resolution';

/** What the deadlines are computed from. */
export interface SlaClock {
  /** When the clock started (ticket creation). */
  startedAt: Date;
  /** Working time spent paused so far, in seconds (for working-time targets). */
  pausedWorkingSeconds: number;
  /** Calendar time spent paused so far, in seconds (for calendar-hour targets). */
  pausedCalendarSeconds: number;
}

export interface Deadline {
  dueAt: Date;
  /** When `warnRatio` of the allowed time is used up. */
  warnAt: Date;
}

const HOUR = 3_600_000;

function isWorking(d: SlaDuration): boolean {
  return d.unit !== 'hours';
}

function budgetMs(d: SlaDuration, calendar: WorkingCalendar): number {
  if (d.unit === 'working_days') return d.amount * calendar.businessDayMs;
  return d.amount * HOUR;
}

/**
 * A target's deadline: start + allowed time + time paused so far, counted in working time for
 * working-time targets and in calendar time for calendar-hour targets. The warning point is the
 * same with `warnRatio` of the allowed time.
 */
export function deadlineFor(d: SlaDuration, clock: SlaClock, calendar: WorkingCalendar, warnRatio: number): Deadline {
  const budget = budgetMs(d, calendar);
  if (isWorking(d)) {
    const paused = clock.pausedWorkingSeconds * 1000;
    return {
      dueAt: calendar.addWorkingTime(clock.startedAt, budget + paused),
      warnAt: calendar.addWorkingTime(clock.startedAt, Math.round(budget * warnRatio) + paused),
    };
  }
  const start = clock.startedAt.getTime() + clock.pausedCalendarSeconds * 1000;
  return { dueAt: new Date(start + budget), warnAt: new Date(start + Math.round(budget * warnRatio)) };
}

export interface TicketDeadlines {
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  /** The deadline that currently runs (first response until answered, then resolution), for lists and the customer. */
  dueAt: Date | null;
  target: SlaTarget | null;
  /** When the SLA watch should warn / record a breach for the running deadline (null: nothing to watch). */
  warnAt: Date | null;
}

export interface DeadlineInput extends SlaClock {
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
}

export function computeDeadlines(policy: SlaPolicy, input: DeadlineInput, calendar: WorkingCalendar, warnRatio: number): TicketDeadlines {
  const first = policy.firstResponse ? deadlineFor(policy.firstResponse, input, calendar, warnRatio) : null;
  const resolution = policy.resolution ? deadlineFor(policy.resolution, input, calendar, warnRatio) : null;
  let running: { target: SlaTarget; d: Deadline } | null = null;
  if (first && !input.firstRespondedAt && !input.resolvedAt) running = { target: 'first_response', d: first };
  else if (resolution && !input.resolvedAt) running = { target: 'resolution', d: resolution };
  return {
    firstResponseDueAt: first?.dueAt ?? null,
    resolutionDueAt: resolution?.dueAt ?? null,
    dueAt: running?.d.dueAt ?? null,
    target: running?.target ?? null,
    warnAt: running?.d.warnAt ?? null,
  };
}

/** Time paused between two instants, in whole seconds, in both measures. */
export function pausedBetween(from: Date, to: Date, calendar: WorkingCalendar): { working: number; calendar: number } {
  return {
    working: Math.round(calendar.workingTimeBetween(from, to) / 1000),
    calendar: Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)),
  };
}
