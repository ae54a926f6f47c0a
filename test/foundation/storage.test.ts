import { ConversationState, MemoryStorage, TurnContext, TestAdapter } from 'botbuilder';
import { BotStateStorage, ETagConflictError } from '../../src/store/botStateStorage';
import { PROVIDERS, openTestStore } from '../support/db';

describe.each(PROVIDERS)('BotStateStorage, the bot state in the CRM store (%s)', (provider) => {
  let ctx: Awaited<ReturnType<typeof openTestStore>>;
  let storage: BotStateStorage;
  beforeAll(async () => {
    ctx = await openTestStore(provider, 'storage');
    storage = new BotStateStorage(ctx.store.turns);
  }, 60_000);
  afterAll(() => ctx.close());

  test('when an item is written and read back, then it comes back with an eTag, and unknown keys are absent', async () => {
    await storage.write({ a: { count: 1, nested: { zh: '你好' } } });
    const items = await storage.read(['a', 'missing']);
    expect(Object.keys(items)).toEqual(['a']);
    expect(items.a).toEqual({ count: 1, nested: { zh: '你好' }, eTag: expect.any(String) });
  });

  test('when two writers hold the same eTag, then the second write fails with a conflict and the first one stays', async () => {
    await storage.write({ b: { value: 'v1' } });
    const { b } = await storage.read(['b']);
    await storage.write({ b: { ...b, value: 'first' } });
    await expect(storage.write({ b: { ...b, value: 'second' } })).rejects.toBeInstanceOf(ETagConflictError);
    expect((await storage.read(['b'])).b.value).toBe('first');
  });

  test('when an item is written with eTag "*", then it replaces whatever is stored', async () => {
    await storage.write({ c: { value: 'old' } });
    await storage.write({ c: { value: 'new', eTag: '*' } });
    expect((await storage.read(['c'])).c.value).toBe('new');
  });

  test('when an item is deleted, then it is gone', async () => {
    await storage.write({ d: { value: 1 } });
    await storage.delete(['d']);
    expect(await storage.read(['d'])).toEqual({});
  });

  test('when ConversationState saves through it, then a new state object sees what the turn saved', async () => {
    const adapter = new TestAdapter();
    const context = new TurnContext(adapter, { type: 'message', channelId: 'test', conversation: { id: 'conv-state', isGroup: false, conversationType: '', name: '' }, from: { id: 'u', name: '' }, recipient: { id: 'b', name: '' } });
    const state = new ConversationState(storage);
    const prop = state.createProperty<{ step: number }>('progress');
    await state.load(context);
    await prop.set(context, { step: 2 });
    await state.saveChanges(context);

    const fresh = new ConversationState(storage);
    await fresh.load(context, true);
    expect(await fresh.createProperty<{ step: number }>('progress').get(context)).toEqual({ step: 2 });
  });

  test('when the same writes, one with a stale eTag, go to MemoryStorage and to the CRM storage, then both refuse the stale one and keep the same data', async () => {
    const memory = new MemoryStorage();
    for (const s of [memory, storage]) await s.write({ same: { n: 1 } });
    const [m, p] = [await memory.read(['same']), await storage.read(['same'])];
    await memory.write({ same: { ...m.same, n: 2 } });
    await storage.write({ same: { ...p.same, n: 2 } });
    const staleMemory = memory.write({ same: { ...m.same, n: 3 } });
    const staleStore = storage.write({ same: { ...p.same, n: 3 } });
    await expect(staleMemory).rejects.toThrow();
    await expect(staleStore).rejects.toThrow();
    expect((await storage.read(['same'])).same.n).toBe((await memory.read(['same'])).same.n);
  });
});
