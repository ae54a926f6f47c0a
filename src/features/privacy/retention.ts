import os from 'node:os';
import type { Logger } from '../../logger';
import type { Store } from '../../store/db';
import { isUniqueViolation } from '../../store/errors';
import { toJson } from '../../store/json';
import { shopDate } from '../../calendar/shopDate';

/** How long each kind of personal data is kept, in days (src/features/privacy/config.ts: the settings and their floors). */
export interface RetentionPolicy {
  transcriptDays: number;
  botStateDays: number;
  closedTicketDays: number;
}

/** What one run purged or anonymised. */
export interface RetentionCounts {
  /** Transcript messages deleted. */
  messages: number;
  /** The web chat's copies of them (Direct Line activities) deleted. */
  directLineActivities: number;
  /** Bot state items deleted. */
  botStates: number;
  /** Closed tickets whose summary and resolution were removed. */
  tickets: number;
  /** Their comments and notes removed. */
  ticketEvents: number;
}

export type RetentionResult = { skipped: true; day: string } | { skipped: false; day: string; counts: RetentionCounts };

/** A run that started this long ago and never finished (its process died) may be taken over. */
export const RETENTION_LEASE_MS = 60 * 60 * 1000;

const DAY_MS = 86_400_000;

export interface RetentionDeps {
  store: Pick<Store, 'db'>;
  policy: RetentionPolicy;
  timeZone: string;
  /** Who runs it (host:pid by default), recorded on the run. */
  instance?: string;
  logger?: Logger;
}


/**
 * Claims the day's run: a RetentionRun row per shop-local day (its unique key is the lease), so of
 * several instances (or a re-run the same night) exactly one works; a run left unfinished longer than
 * RETENTION_LEASE_MS is taken over.
 */
async function claimDay(deps: RetentionDeps, day: string, now: Date): Promise<string | undefined> {
  const instance = deps.instance ?? `${os.hostname()}:${process.pid}`;
  try {
    return (await deps.store.db.retentionRun.create({ data: { day, instance, startedAt: now }, select: { id: true } })).id;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const { count } = await deps.store.db.retentionRun.updateMany({
    where: { day, finishedAt: null, startedAt: { lt: new Date(now.getTime() - RETENTION_LEASE_MS) } },
    data: { instance, startedAt: now },
  });
  return count === 1 ? (await deps.store.db.retentionRun.findUniqueOrThrow({ where: { day }, select: { id: true } })).id : undefined;
}

/**
 * The nightly retention run: deletes transcripts and bot state past their periods, and anonymises
 * closed tickets past theirs (summary, resolution, comments and notes removed; the ticket, its
 * statuses and its audit trail stay). Idempotent: what it leaves matches nothing the next time.
 * Recorded as the day's RetentionRun row with its counts. Uploaded photos are deleted by the web
 * chat's own job (WEBCHAT_UPLOAD_RETENTION_DAYS), where the files are.
 */
export async function runRetention(deps: RetentionDeps, now: Date): Promise<RetentionResult> {
  const day = shopDate(now, deps.timeZone);
  const runId = await claimDay(deps, day, now);
  if (!runId) return { skipped: true, day };
  const { db } = deps.store;
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const transcripts = before(deps.policy.transcriptDays);
  const oldClosed = { status: 'CLOSED' as const, closedAt: { lt: before(deps.policy.closedTicketDays) } };
  const counts: RetentionCounts = {
    messages: (await db.message.deleteMany({ where: { timestamp: { lt: transcripts } } })).count,
    directLineActivities: (await db.directLineActivity.deleteMany({ where: { createdAt: { lt: transcripts } } })).count,
    botStates: (await db.botState.deleteMany({ where: { updatedAt: { lt: before(deps.policy.botStateDays) } } })).count,
    ticketEvents: (await db.ticketEvent.updateMany({ where: { body: { not: null }, ticket: { is: oldClosed } }, data: { body: null } })).count,
    tickets: (await db.ticket.updateMany({ where: { ...oldClosed, OR: [{ summary: { not: '' } }, { resolutionSummary: { not: null } }] }, data: { summary: '', resolutionSummary: null } })).count,
  };
  await db.retentionRun.update({ where: { id: runId }, data: { finishedAt: new Date(), counts: toJson(counts) } });
  deps.logger?.info({ day, ...counts }, 'retention: personal data past its period purged');
  return { skipped: false, day, counts };
}
