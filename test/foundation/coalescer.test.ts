import { Coalescer } from '../../src/store/coalescer';

/** A run function the test releases by hand, recording each batch it was given. */
function controlledRun<T>() {
  const batches: T[][] = [];
  const pending: (() => void)[] = [];
  const run = (items: T[]) => {
    batches.push(items);
    return new Promise<(string | Error)[]>((resolve) => pending.push(() => resolve(items.map((i) => (String(i).startsWith('bad') ? new Error(`refused ${String(i)}`) : `done ${String(i)}`)))));
  };
  return { batches, run, release: () => pending.shift()?.() };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Coalescer (natural batching of the store\'s turn writes)', () => {
  test('when nothing is under way, then an item goes out at once, alone', async () => {
    const c = controlledRun<string>();
    const coalescer = new Coalescer(c.run, { maxInFlight: 1, maxBatch: 10 });
    const answer = coalescer.submit('a');
    expect(c.batches).toEqual([['a']]);
    c.release();
    await expect(answer).resolves.toBe('done a');
  });

  test('when items arrive while a batch is under way, then they go out together next, in arrival order, up to maxBatch', async () => {
    const c = controlledRun<string>();
    const coalescer = new Coalescer(c.run, { maxInFlight: 1, maxBatch: 3 });
    const answers = ['a', 'b', 'c', 'd', 'e'].map((x) => coalescer.submit(x));
    expect(c.batches).toEqual([['a']]); // the other four wait
    c.release();
    await tick();
    expect(c.batches).toEqual([['a'], ['b', 'c', 'd']]);
    c.release();
    await tick();
    expect(c.batches).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
    c.release();
    await expect(Promise.all(answers)).resolves.toEqual(['done a', 'done b', 'done c', 'done d', 'done e']);
  });

  test('when maxInFlight is 2, then a second item goes out without waiting for the first, and a third waits for one of them', async () => {
    const c = controlledRun<string>();
    const coalescer = new Coalescer(c.run, { maxInFlight: 2, maxBatch: 10 });
    void coalescer.submit('a');
    void coalescer.submit('b');
    void coalescer.submit('c');
    expect(c.batches).toEqual([['a'], ['b']]);
    c.release();
    await tick();
    expect(c.batches).toEqual([['a'], ['b'], ['c']]);
  });

  test('when one item of a batch is refused, then only that item fails', async () => {
    const c = controlledRun<string>();
    const coalescer = new Coalescer(c.run, { maxInFlight: 1, maxBatch: 10 });
    const first = coalescer.submit('a');
    const rest = ['b', 'bad-c', 'd'].map((x) => coalescer.submit(x));
    c.release();
    await tick();
    c.release();
    await expect(first).resolves.toBe('done a');
    const settled = await Promise.allSettled(rest);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual(['done b', 'refused bad-c', 'done d']);
  });

  test('when a batch fails as a whole, then its items get the error and the next batch still runs', async () => {
    let calls = 0;
    const coalescer = new Coalescer<string, string>(
      async (items) => {
        calls++;
        await tick();
        if (calls === 1) throw new Error('connection lost');
        return items.map((i) => `done ${i}`);
      },
      { maxInFlight: 1, maxBatch: 10 },
    );
    const first = coalescer.submit('a');
    const second = coalescer.submit('b');
    await expect(first).rejects.toThrow('connection lost');
    await expect(second).resolves.toBe('done b');
  });

  test('when items are queued, then drained() waits until every one is answered', async () => {
    const c = controlledRun<string>();
    const coalescer = new Coalescer(c.run, { maxInFlight: 1, maxBatch: 10 });
    const answers: string[] = [];
    for (const x of ['a', 'b', 'c']) void coalescer.submit(x).then((v) => answers.push(v));
    let drained = false;
    const done = coalescer.drained().then(() => (drained = true));
    c.release();
    await tick();
    expect(drained).toBe(false); // 'b' and 'c' went out after 'a', still under way
    c.release();
    await done;
    expect(answers).toEqual(['done a', 'done b', 'done c']);
    await expect(new Coalescer(c.run, { maxInFlight: 1, maxBatch: 10 }).drained()).resolves.toBeUndefined();
  });
});
