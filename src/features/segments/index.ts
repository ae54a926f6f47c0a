import type { ScheduledJob } from '../../jobs/scheduler';
import type { Feature, Kernel } from '../feature';
import { registerSegmentsApi } from './api';
import type { SegmentsConfig } from './config';
import { SegmentJob } from './job';
import { CustomerStandings } from './standing';

export { segmentsConfigSchema, type SegmentsConfig } from './config';
export { VALUE_CLASSES, STAGES, type ValueClass, type Stage } from './rules';
export type { Standing, CustomerStandings } from './standing';

export interface SegmentsFeature extends Feature {
  /** The nightly (and on-demand) recomputation of every customer's RFM, value class and stage. */
  job: SegmentJob;
  /** A customer's value class and stage (the handoff queue's order, the agent's case card). */
  standings: CustomerStandings;
}

export type SegmentsNeeds = Pick<Kernel, 'store' | 'logger' | 'staff' | 'timeZone' | 'clock'> & { config: SegmentsConfig };

/** Customers by value and stage: RFM scores and value classes, lifecycle stages with their history. */
export function segmentsFeature(k: SegmentsNeeds): SegmentsFeature {
  const { store, config } = k;
  const logger = k.logger.child({ feature: 'segments' });
  const job = new SegmentJob({ db: store.db, provider: store.provider, config, timeZone: k.timeZone, logger });
  const jobs: ScheduledJob[] = [{ name: 'segments.nightly', schedule: config.SEGMENTS_CRON, run: (now) => job.run({ trigger: 'nightly', now }) }];
  return {
    name: 'segments',
    job,
    standings: new CustomerStandings(store.db),
    jobs,
    http: (server) => registerSegmentsApi(server, { db: store.db, staff: k.staff, job, clock: k.clock }),
  };
}
