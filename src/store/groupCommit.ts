/**
 * Group commit for SQLite's per-turn writes. A commit appends every page it changed to the WAL (and
 * the checkpoint later copies each of them back), and the turns of a busy bot change the same pages:
 * the transcript's last page and its indexes, the state table. Writing them once for several turns
 * instead of once per turn roughly halved a turn's CPU time under load (bench:turns, README).
 *
 * Work submitted while the event loop handles one round of I/O (the HTTP requests that arrived
 * together, the turns that finished meanwhile) is queued and runs in one transaction at the end of
 * that round (setImmediate): a quiet bot's turn waits one loop iteration, a busy bot's turns share a
 * commit. No promise resolves before its commit: what a turn was told is stored, is stored.
 *
 * Work of several statements that must be applied whole (`atomic`) runs in a savepoint; a single
 * statement is atomic by itself. A piece's error is its own (the others commit). Should the
 * transaction itself end (SQLite rolls back by itself on a full disk or an I/O error) or the commit
 * fail, every piece of the group fails with that error.
 */
export interface Savepoints {
  begin(): void;
  release(): void;
  /** Undo the work since begin() and leave the savepoint. */
  rollback(): void;
  inTransaction(): boolean;
}

interface Pending {
  work: () => unknown;
  atomic: boolean;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit {
  private queue: Pending[] = [];
  /** The group being committed now (resolved when it is answered), or undefined. */
  private running: Promise<void> | undefined;
  private scheduled = false;

  constructor(
    private readonly transaction: (work: () => void) => Promise<void>,
    private readonly savepoints: Savepoints,
  ) {}

  submit<T>(work: () => T, options: { atomic: boolean }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, atomic: options.atomic, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves once everything submitted so far is committed or failed (before the connection closes). */
  async drained(): Promise<void> {
    while (this.scheduled || this.running) await (this.running ?? new Promise<void>((resolve) => setImmediate(resolve)));
  }

  private flush(): void {
    this.scheduled = false;
    const group = this.queue;
    this.queue = [];
    const answers: { ok: boolean; value: unknown }[] = [];
    const done = this.transaction(() => {
      for (const pending of group) answers.push(this.runOne(pending));
    }).then(
      () => group.forEach((g, i) => (answers[i].ok ? g.resolve(answers[i].value) : g.reject(answers[i].value))),
      (err: unknown) => group.forEach((g) => g.reject(err)),
    );
    const running: Promise<void> = done.finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
  }

  /** One piece of work; throws (ending the group) when the transaction itself is gone. */
  private runOne({ work, atomic }: Pending): { ok: boolean; value: unknown } {
    if (atomic) this.savepoints.begin();
    try {
      const value = work();
      if (atomic) this.savepoints.release();
      return { ok: true, value };
    } catch (err) {
      if (!this.savepoints.inTransaction()) throw err;
      if (atomic) this.savepoints.rollback();
      return { ok: false, value: err };
    }
  }
}
