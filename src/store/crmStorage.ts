import type { Storage, StoreItems } from 'botbuilder';
import type { HotStore, StateRow } from './hotStore';

/** Thrown when a write carries an eTag that is no longer the stored one (another turn wrote first). */
export class ETagConflictError extends Error {
  constructor(public readonly key: string) {
    super(`Storage: eTag conflict on key ${key}`);
    this.name = 'ETagConflictError';
  }
}

/**
 * botbuilder Storage over the CRM store (table BotState), with eTag optimistic concurrency:
 * an item written with eTag "*" or none always wins; an item written with an eTag only replaces
 * the stored one if the eTag still matches, otherwise the write fails with ETagConflictError.
 * It runs on every turn, so it goes through the store's hot path (src/store/hotStore.ts).
 */
export class CrmStorage implements Storage {
  private readonly turns = new Map<string, TurnStateSlot>();

  constructor(private readonly store: HotStore) {}

  /**
   * Joins the state item `key` to the turn now starting (KefuTurnMiddleware): the item read with
   * the inbound activity is handed to the turn's first read, and the turn's write (eTag "*", as
   * botbuilder's BotState.saveChanges writes) is held and stored with the turn's replies, in one
   * transaction (HotStore.finishTurn). Returns undefined while another turn holds the key: that
   * turn reads and writes as usual.
   */
  openTurn(key: string): TurnStateSlot | undefined {
    if (this.turns.has(key)) return undefined;
    const slot: TurnStateSlot = {};
    this.turns.set(key, slot);
    return slot;
  }

  closeTurn(key: string, slot: TurnStateSlot): void {
    if (this.turns.get(key) === slot) this.turns.delete(key);
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    const rest: string[] = [];
    for (const key of keys) {
      const slot = this.turns.get(key);
      if (slot?.staged !== undefined) {
        items[key] = { ...JSON.parse(slot.staged), eTag: '*' }; // this turn's own write, not stored yet
      } else if (slot && slot.prefetched !== undefined) {
        if (slot.prefetched) items[key] = { ...JSON.parse(slot.prefetched.data), eTag: String(slot.prefetched.etag) };
        slot.prefetched = undefined; // read ahead once: a later read asks the database
      } else {
        rest.push(key);
      }
    }
    if (rest.length) for (const row of await this.store.readState(rest)) items[row.key] = { ...JSON.parse(row.data), eTag: String(row.etag) };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const now = new Date();
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...rest } = (item ?? {}) as { eTag?: string } & Record<string, unknown>;
      const data = JSON.stringify(rest);
      const slot = this.turns.get(key);
      if (!eTag || eTag === '*') {
        if (slot) {
          slot.staged = data;
          continue;
        }
        await this.store.upsertState(key, data, now);
        continue;
      }
      if (slot) slot.staged = undefined; // an explicit version replaces the held write
      const version = Number(eTag);
      if (Number.isInteger(version) && (await this.store.updateState(key, data, version, now)) === 1) continue;
      // No row with that eTag: either the item is new (create it) or another writer won (conflict).
      if ((await this.store.insertStateIfAbsent(key, data, now)) !== 1) throw new ETagConflictError(key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      const slot = this.turns.get(key);
      if (slot) {
        slot.staged = undefined;
        slot.prefetched = undefined;
      }
    }
    await this.store.deleteState(keys);
  }
}

/** A state item joined to the turn in flight (CrmStorage.openTurn). */
export interface TurnStateSlot {
  /** The item as read with the inbound activity (null: none stored); undefined once read. */
  prefetched?: StateRow | null;
  /** The turn's write of the item (JSON), held until the turn's end. */
  staged?: string;
}
