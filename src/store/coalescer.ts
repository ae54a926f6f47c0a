/**
 * Natural batching ("group commit") for the store's per-turn writes. While fewer than `maxInFlight`
 * batches are running, an item is sent at once, alone: a quiet bot waits for nothing. When the limit
 * is reached, items queue, and each time a batch finishes everything queued (up to `maxBatch`) goes
 * out as the next one: under load, many turns share one round trip and one commit.
 *
 * `run` gets the items in arrival order and answers each one: a value, or an Error that belongs to
 * that item alone (the other items' answers stand). If `run` itself throws, every item of the batch
 * gets that error.
 */
export class Coalescer<T, R> {
  private readonly queue: { item: T; resolve: (value: R) => void; reject: (err: unknown) => void }[] = [];
  private inFlight = 0;
  private idlers: (() => void)[] = [];

  constructor(
    private readonly run: (items: T[]) => Promise<(R | Error)[]>,
    private readonly options: { maxInFlight: number; maxBatch: number },
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.inFlight < this.options.maxInFlight) this.next();
    });
  }

  /** Resolves once every item submitted so far is answered (before a store closes its connection). */
  async drained(): Promise<void> {
    while (this.inFlight > 0 || this.queue.length > 0) await new Promise<void>((resolve) => this.idlers.push(resolve));
  }

  private next(): void {
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.options.maxBatch);
    this.inFlight++;
    this.run(batch.map((b) => b.item))
      .then(
        (answers) =>
          batch.forEach((b, i) => {
            const answer = answers[i];
            if (answer instanceof Error) b.reject(answer);
            else b.resolve(answer as R);
          }),
        (err: unknown) => batch.forEach((b) => b.reject(err)),
      )
      .finally(() => {
        this.inFlight--;
        this.next();
        if (this.inFlight === 0 && this.queue.length === 0) for (const idle of this.idlers.splice(0)) idle();
      });
  }
}
