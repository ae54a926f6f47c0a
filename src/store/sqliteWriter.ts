import { Worker } from 'node:worker_threads';
import { Coalescer } from './coalescer';
import { asError } from './errors';

/**
 * Runs SQLite writes on a worker thread with its own connection, so that the event loop never spends
 * its time in SQLite: page writes to the WAL, index updates, and waits for the write lock (the worker
 * may simply block on busy_timeout while a Prisma transaction on the main thread holds the lock).
 * The caller builds the SQL and its arguments; statements are prepared once per SQL text in the
 * worker. A write resolves after its commit, so whatever reads next, on any connection, sees it.
 *
 * bench:turns: the per-turn statements were the largest difference between Kefu's turn and a bare
 * botbuilder bot's (~280 of the ~730 extra µs of event-loop CPU per turn under --cpu-prof); here they
 * cost the event loop one message each way, shared by the writes that queued while the worker was
 * busy (one message and one commit for all of them: +10 % turns/s at 16 conversations).
 */
export interface SqlStep {
  sql: string;
  args: unknown[];
}

export interface SqliteWriter {
  /** Runs one statement (its own transaction); resolves with the number of rows changed. */
  run(step: SqlStep): Promise<number>;
  /** Runs the steps in one IMMEDIATE transaction; resolves with the rows changed by each. */
  transaction(steps: SqlStep[]): Promise<number[]>;
  /** Runs a PRAGMA on the writer's connection (e.g. 'wal_autocheckpoint = 1000'). */
  pragma(text: string): Promise<unknown>;
  close(): Promise<void>;
}

export interface SqliteWriterOptions {
  /** Called once if the worker stops on its own; pending writes reject, later ones must go elsewhere. */
  onFailure?: (error: unknown) => void;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 10000');
db.pragma('foreign_keys = ON');
db.pragma('wal_autocheckpoint = ' + workerData.autocheckpoint);
const statements = new Map();
function prepare(sql) {
  let stmt = statements.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    statements.set(sql, stmt);
  }
  return stmt;
}
const runSteps = (steps) => steps.map((s) => prepare(s.sql).run(...s.args).changes);
const transaction = db.transaction(runSteps);
const batch = db.transaction((jobs) => jobs.map(runSteps));
function errorOf(err) {
  return { message: String(err && err.message), code: err && err.code, name: err && err.name };
}
// Jobs that queued together: one transaction (one commit) for all; if it fails (rolled back as a
// whole), each job in its own transaction, so only the failing job fails.
function runJobs(jobs) {
  try {
    return batch.immediate(jobs).map((changes) => ({ changes }));
  } catch (err) {
    if (jobs.length === 1) return [{ error: errorOf(err) }];
    return jobs.map((steps) => {
      try {
        return { changes: transaction.immediate(steps) };
      } catch (err) {
        return { error: errorOf(err) };
      }
    });
  }
}
parentPort.on('message', (m) => {
  if (m.op === 'close') {
    db.close();
    parentPort.postMessage({ id: m.id, result: null });
    parentPort.close();
    return;
  }
  try {
    const result =
      m.op === 'jobs' ? runJobs(m.jobs) : db.pragma(m.text);
    parentPort.postMessage({ id: m.id, result });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: errorOf(err) });
  }
});
parentPort.postMessage({ id: 0, result: 'ready' });
`;

/** The worker's answer for one job of a batch: each step's rows changed, or the job's error. */
interface JobAnswer {
  changes?: number[];
  error?: Reply['error'];
}

interface Reply {
  id: number;
  result?: unknown;
  error?: { message: string; code?: string; name?: string };
}

/** The worker's error as an Error with the driver's `code` (SQLITE_CONSTRAINT_FOREIGNKEY ...), as better-sqlite3 throws it. */
function toError(e: NonNullable<Reply['error']>): Error {
  const err = new Error(e.message) as Error & { code?: string };
  err.name = e.name ?? 'SqliteError';
  if (e.code) err.code = e.code;
  return err;
}

export async function startSqliteWriter(file: string, options: SqliteWriterOptions & { autocheckpoint?: number } = {}): Promise<SqliteWriter> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver: require.resolve('better-sqlite3'), autocheckpoint: options.autocheckpoint ?? 0 },
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: unknown) => void }>();
  let nextId = 1;
  let closing = false;
  let failed: Error | undefined;

  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  worker.on('message', (reply: Reply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.error) p.reject(toError(reply.error));
    else p.resolve(reply.result);
  });
  const fail = (err: unknown) => {
    if (closing || failed) return;
    failed = asError(err);
    for (const p of pending.values()) p.reject(failed);
    pending.clear();
    options.onFailure?.(failed);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`SQLite writer worker exited with code ${code}`)));
  worker.unref(); // referenced only while writes are pending (a pending write keeps the process alive)

  const send = (message: Record<string, unknown>): Promise<unknown> => {
    if (failed) return Promise.reject(failed);
    if (closing) return Promise.reject(new Error('SQLite writer is closed'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  };

  // Writes that arrive while the worker is busy go to it together, in one message and one commit
  // (see Coalescer); a write that fails on its own fails alone.
  const jobs = new Coalescer<SqlStep[], number[]>(
    async (batch) => {
      const answers = (await send({ op: 'jobs', jobs: batch })) as JobAnswer[];
      return answers.map((a) => (a.error ? toError(a.error) : a.changes!));
    },
    { maxInFlight: 1, maxBatch: 64 },
  );

  return {
    run: (step) => jobs.submit([step]).then((changes) => changes[0]),
    transaction: (steps) => jobs.submit(steps),
    pragma: (text) => send({ op: 'pragma', text }),
    async close() {
      if (closing || failed) return;
      await jobs.drained(); // writes already accepted are written before the connection closes
      if (closing || failed) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      const done = send({ op: 'close' });
      closing = true;
      await done.catch(() => undefined);
      const timeout = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
