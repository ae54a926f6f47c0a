import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../store/records';
import type { SegmentRun } from './types';
import type { Logger } from '../../logger';
import type { Db, Provider } from '../../store/db';
import type { SegmentsConfig } from './config';
import { SegmentFacts } from './facts';
import { shopDate } from '../../calendar/shopDate';
import { JobLeaseHolder } from '../../store/jobLease';
import { insertFromJson, jsonTime, type Column } from '../../store/jsonRows';
import { quantileCuts, sameSegment, segmentOf, thresholdCuts, type Cuts, type Segment, type Stage, type ValueClass } from './rules';

export const SEGMENT_JOB = 'segments.recompute';

export type RunTrigger = 'nightly' | 'manual';

export interface RunOptions {
  trigger: RunTrigger;
  now: Date;
  /** Test seam: called after each committed batch (a throw here is a crash between batches). */
  afterBatch?: (batch: number) => void | Promise<void>;
}

export type RunOutcome =
  | { outcome: 'done'; run: SegmentRun; resumed: boolean }
  /** This run (the night's) was finished already: nothing changes. */
  | { outcome: 'already'; run: SegmentRun }
  /** Another instance holds the lease. */
  | { outcome: 'busy' };

const SEGMENT_COLUMNS: Column[] = [
  ['customerId', 'text'],
  ['recencyDays', 'int'],
  ['frequency', 'int'],
  ['monetary', 'int'],
  ['rScore', 'int'],
  ['fScore', 'int'],
  ['mScore', 'int'],
  ['valueClass', 'text'],
  ['stage', 'text'],
  ['lastOrderAt', 'time'],
  ['lastContactAt', 'time'],
  ['changedAt', 'time'],
  ['runId', 'text'],
];
const HISTORY_COLUMNS: Column[] = [
  ['id', 'text'],
  ['customerId', 'text'],
  ['kind', 'text'],
  ['fromValue', 'text'],
  ['toValue', 'text'],
  ['runId', 'text'],
  ['createdAt', 'time'],
];

interface HistoryRow {
  customerId: string;
  kind: 'class' | 'stage';
  fromValue: string | null;
  toValue: string;
  runId: string;
}

/**
 * The segment job: every customer's RFM figures, value class and lifecycle stage, recomputed in
 * batches by customer id. Once across instances (a lease row), idempotent (the night's run is keyed
 * by its shop-local date; a row is written, and a history row added, only when something changed),
 * resumable (each batch's writes and its checkpoint commit together; the run's quantile cut points
 * are fixed when it starts, so a resumed run scores like an uninterrupted one).
 */
export class SegmentJob {
  private readonly facts: SegmentFacts;
  private readonly lease: JobLeaseHolder;

  constructor(
    private readonly deps: { db: Db; provider: Provider; config: SegmentsConfig; timeZone: string; logger: Logger },
  ) {
    this.facts = new SegmentFacts(deps.db, deps.provider);
    this.lease = new JobLeaseHolder(deps.db, SEGMENT_JOB, deps.config.SEGMENTS_LEASE_SECONDS);
  }

  /** The night's run id: its shop-local date. */
  runIdFor(trigger: RunTrigger, now: Date): string {
    if (trigger === 'manual') return `manual:${now.toISOString()}`;
    return `nightly:${shopDate(now, this.deps.timeZone)}`;
  }

  async run(given: RunOptions): Promise<RunOutcome> {
    const { db, logger } = this.deps;
    // The lease moves on with the time the run takes (the given time plus what has passed since), so a long run keeps it.
    const started = performance.now();
    const options = { ...given, elapsed: () => new Date(given.now.getTime() + (performance.now() - started)) };
    if (!(await this.lease.acquire(options.now))) {
      logger.info({ job: SEGMENT_JOB }, 'segments: another instance is running the job');
      return { outcome: 'busy' };
    }
    try {
      // A run a crash left unfinished goes first, with its own time and cut points.
      const id = this.runIdFor(options.trigger, options.now);
      const unfinished = await db.segmentRun.findFirst({ where: { status: 'RUNNING' }, orderBy: { startedAt: 'asc' } });
      let resumed: SegmentRun | undefined;
      if (unfinished) {
        logger.info({ runId: unfinished.id, cursor: unfinished.cursor, processed: unfinished.processed }, 'segments: resuming an unfinished run');
        resumed = await this.process(unfinished, options);
      }
      const existing = await db.segmentRun.findUnique({ where: { id } });
      if (existing) return resumed ? { outcome: 'done', run: resumed, resumed: true } : { outcome: 'already', run: existing };
      const cuts = await this.cuts(options.now);
      const run = await db.segmentRun.create({ data: { id, trigger: options.trigger, asOf: options.now, cuts: cuts as unknown as Prisma.InputJsonValue, startedAt: options.now } });
      logger.info({ runId: id, cuts }, 'segments: run started');
      return { outcome: 'done', run: await this.process(run, options), resumed: false };
    } finally {
      await this.lease.release();
    }
  }

  /** The run's cut points: from the data (quantiles) or the configured thresholds. */
  async cuts(asOf: Date): Promise<Cuts> {
    const { config } = this.deps;
    if (config.SEGMENTS_RFM_MODE === 'thresholds') return thresholdCuts(config);
    const values = await this.facts.buyers(asOf);
    const q = config.SEGMENTS_RFM_QUANTILES;
    return { r: quantileCuts(values.r, q), f: quantileCuts(values.f, q), m: quantileCuts(values.m, q) };
  }

  private async process(start: SegmentRun, options: RunOptions & { elapsed: () => Date }): Promise<SegmentRun> {
    const { db, config, logger } = this.deps;
    const cuts = start.cuts as unknown as Cuts;
    let run = start;
    for (;;) {
      const customers = await this.facts.nextCustomers(run.cursor, config.SEGMENTS_BATCH_SIZE);
      if (customers.length === 0) break;
      const computed = (await this.facts.batch(customers, run.cursor, run.asOf)).map((f) => segmentOf(f, run.asOf, cuts, config));
      const last = customers[customers.length - 1].id;
      const stored = await db.customerSegment.findMany({ where: { customerId: run.cursor ? { gt: run.cursor, lte: last } : { lte: last } } });
      const before = new Map(stored.map((s) => [s.customerId, s as Segment]));
      const changed = computed.filter((s) => !before.has(s.customerId) || !sameSegment(before.get(s.customerId)!, s));
      const history = changed.flatMap((s) => this.historyOf(before.get(s.customerId), s, run));
      run = await db.$transaction(async (tx) => {
        await this.lease.renew(tx, options.elapsed());
        await this.write(tx, changed, history, run);
        return tx.segmentRun.update({
          where: { id: run.id },
          data: { cursor: last, processed: { increment: customers.length }, changed: { increment: changed.length }, batches: { increment: 1 } },
        });
      });
      if (run.batches % 10 === 0) logger.info({ runId: run.id, processed: run.processed, changed: run.changed }, 'segments: progress');
      await options.afterBatch?.(run.batches);
    }
    const done = await db.segmentRun.update({ where: { id: run.id }, data: { status: 'DONE', finishedAt: options.elapsed() } });
    logger.info({ runId: done.id, processed: done.processed, changed: done.changed, batches: done.batches }, 'segments: run finished');
    return done;
  }

  /** The class and stage changes of one customer (the first assignment has no "from"). */
  private historyOf(old: Segment | undefined, now: Segment, run: SegmentRun): HistoryRow[] {
    const rows: HistoryRow[] = [];
    const add = (kind: 'class' | 'stage', from: ValueClass | Stage | undefined, to: ValueClass | Stage) => {
      if (from !== to) rows.push({ customerId: now.customerId, kind, fromValue: from ?? null, toValue: to, runId: run.id });
    };
    add('class', old?.valueClass, now.valueClass);
    add('stage', old?.stage, now.stage);
    return rows;
  }

  /** The batch's changed rows in one INSERT ... ON CONFLICT, their history in one INSERT, each with one JSON parameter (both stores). */
  private async write(tx: Prisma.TransactionClient, rows: Segment[], history: HistoryRow[], run: SegmentRun): Promise<void> {
    const { provider } = this.deps;
    const at = jsonTime(provider, run.asOf);
    if (rows.length) {
      const data = rows.map((s) => ({ ...s, lastOrderAt: s.lastOrderAt && jsonTime(provider, s.lastOrderAt), lastContactAt: s.lastContactAt && jsonTime(provider, s.lastContactAt), changedAt: at, runId: run.id }));
      const updates = SEGMENT_COLUMNS.filter(([c]) => c !== 'customerId')
        .map(([c]) => `"${c}" = excluded."${c}"`)
        .join(', ');
      await tx.$executeRawUnsafe(`${insertFromJson(provider, 'CustomerSegment', SEGMENT_COLUMNS)} ON CONFLICT ("customerId") DO UPDATE SET ${updates}`, JSON.stringify(data));
    }
    if (history.length) {
      const data = history.map((h) => ({ ...h, id: randomUUID(), createdAt: at }));
      await tx.$executeRawUnsafe(insertFromJson(provider, 'SegmentChange', HISTORY_COLUMNS), JSON.stringify(data));
    }
  }
}
