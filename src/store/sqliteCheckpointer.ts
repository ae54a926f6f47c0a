import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

/**
 * Moves SQLite's WAL checkpoints off the turn's thread. By default the connection that commits
 * checkpoints the WAL whenever it passes 1 000 pages, inside that commit: copying the pages to the
 * database file and two fsyncs, on the event loop. Measured on the 2-core machine with a turn's
 * statements alone, that was half their time (about 300 µs a turn against 150 µs with the
 * checkpoints elsewhere; README, Benchmarks). So the turn's connection never checkpoints
 * (wal_autocheckpoint = 0) and a worker thread with a connection of its own runs a PASSIVE checkpoint
 * every `intervalMs`: it never blocks a writer, and once it has copied every frame the next commit
 * starts the WAL file over.
 *
 * The same worker refreshes the planner's statistics once a day (PRAGMA optimize, on its own
 * connection, so never inside one of the turn connection's transactions).
 *
 * Should the worker fail, the connection checkpoints by itself again (a WAL that only grows is the
 * one outcome to avoid); closing the store stops the worker first, and closing the last connection
 * checkpoints what is left.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;
  private stopped = false;
  private readonly waiters: ((result: CheckpointResult) => void)[] = [];

  constructor(
    private readonly connection: Database,
    options: { file: string; intervalMs?: number; onFailure?: (err: Error) => void },
  ) {
    connection.pragma('wal_autocheckpoint = 0');
    this.worker = new Worker(CHECKPOINT_LOOP, {
      eval: true,
      workerData: { file: options.file, intervalMs: options.intervalMs ?? 200, optimizeMs: OPTIMIZE_EVERY_MS, driver: require.resolve('better-sqlite3') },
    });
    this.worker.unref();
    this.worker.on('message', (result: CheckpointResult) => {
      for (const wake of this.waiters.splice(0)) wake(result);
    });
    const fail = (err: Error) => {
      if (this.stopped) return;
      this.stopped = true;
      if (connection.open) connection.pragma('wal_autocheckpoint = 1000');
      options.onFailure?.(err);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the WAL checkpoint worker exited with code ${code}`)));
  }

  /** The worker's next checkpoint: the frames in the WAL and how many of them are in the database file now. */
  next(): Promise<CheckpointResult> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Whether the worker checkpoints (false once stopped, or after it failed and the connection took over). */
  get running(): boolean {
    return !this.stopped;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.worker.terminate();
  }
}

export interface CheckpointResult {
  /** Frames in the WAL file. */
  log: number;
  /** Frames of the WAL copied to the database file (all of them: the next commit starts the WAL over). */
  checkpointed: number;
}

/** How often the worker refreshes the planner's statistics. */
const OPTIMIZE_EVERY_MS = 24 * 3_600_000;

/**
 * The worker's code, as source text (a worker runs JavaScript; the TypeScript loader's helpers are
 * not there): a connection of its own and a PASSIVE checkpoint every `intervalMs`, each reported.
 */
const CHECKPOINT_LOOP = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
setInterval(() => {
  const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage({ log, checkpointed });
}, workerData.intervalMs);
db.pragma('analysis_limit = 400');
setInterval(() => {
  try {
    db.pragma('optimize');
  } catch {
    // the store busy past busy_timeout: the statistics wait for the next day
  }
}, workerData.optimizeMs);
`;
