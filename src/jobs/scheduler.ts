import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger';

/** A scheduled job: a name, a cron expression, and a plain async handler (testable without the scheduler). */
export interface ScheduledJob {
  name: string;
  schedule: string;
  run: (now: Date) => Promise<unknown>;
}

export interface RunningJobs {
  stop(): Promise<void>;
}

/**
 * Starts every job of the table with node-cron, in the shop's time zone, never overlapping itself.
 * Each run is handed `clock()`, the app's clock (the services' "now"), not the wall clock.
 */
export function scheduleJobs(jobs: ScheduledJob[], timeZone: string, logger: Logger, clock: () => Date = () => new Date()): RunningJobs {
  for (const job of jobs) {
    if (!cron.validate(job.schedule)) throw new Error(`Job ${job.name}: invalid cron expression "${job.schedule}"`);
  }
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        try {
          await job.run(clock());
        } catch (err) {
          logger.error({ err, job: job.name }, 'scheduled job failed');
        }
      },
      { timezone: timeZone, name: job.name, noOverlap: true },
    ),
  );
  return {
    async stop() {
      for (const task of tasks) await task.destroy();
    },
  };
}
