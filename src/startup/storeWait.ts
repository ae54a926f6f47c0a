import type { Logger } from '../logger';
import { EXIT_CODES, StartError } from './startErrors';

export interface StoreWaitOptions {
  /** How long to keep trying, in seconds (DB_START_WAIT_SECONDS); 0 tries once. */
  waitSeconds: number;
  logger: Logger;
  /** The wait between attempts doubles from here up to maxDelayMs. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Runs `open` (migrations, the store, the demo data) until it succeeds, while it fails only because
 * the database does not answer (a StartError with the "unavailable" exit code: a PostgreSQL server
 * still starting, restarting or failing over), for up to `waitSeconds`. The first failure is logged
 * with what the bot waits for; any other failure, or the last one, is thrown as it was.
 */
export async function openWhenReachable<T>(open: () => Promise<T>, options: StoreWaitOptions): Promise<T> {
  const deadline = Date.now() + options.waitSeconds * 1000;
  let delay = options.firstDelayMs ?? 500;
  let attempts = 0;
  for (;;) {
    try {
      const result = await open();
      if (attempts > 0) options.logger.info({ attempts: attempts + 1 }, 'the database answers: starting');
      return result;
    } catch (err) {
      const unavailable = err instanceof StartError && err.exitCode === EXIT_CODES.unavailable;
      if (!unavailable || Date.now() + delay > deadline) {
        if (unavailable && attempts > 0) throw new StartError(`${err.message} (waited ${options.waitSeconds} s: DB_START_WAIT_SECONDS)`, err.exitCode);
        throw err;
      }
      if (attempts === 0) {
        options.logger.warn({ waitSeconds: options.waitSeconds }, `waiting for the database: ${err.message}; trying again for up to ${options.waitSeconds} s (DB_START_WAIT_SECONDS)`);
      }
      attempts++;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, options.maxDelayMs ?? 5000);
    }
  }
}
