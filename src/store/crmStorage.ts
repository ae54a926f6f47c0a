import type { Storage, StoreItems } from 'botbuilder';
import type { HotStore } from './hotStore';

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
  constructor(private readonly store: HotStore) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const row of await this.store.readState(keys)) items[row.key] = { ...JSON.parse(row.data), eTag: String(row.etag) };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const now = new Date();
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...rest } = (item ?? {}) as { eTag?: string } & Record<string, unknown>;
      const data = JSON.stringify(rest);
      if (!eTag || eTag === '*') {
        await this.store.upsertState(key, data, now);
        continue;
      }
      const version = Number(eTag);
      if (Number.isInteger(version) && (await this.store.updateState(key, data, version, now)) === 1) continue;
      // No row with that eTag: either the item is new (create it) or another writer won (conflict).
      if ((await this.store.insertStateIfAbsent(key, data, now)) !== 1) throw new ETagConflictError(key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    await this.store.deleteState(keys);
  }
}
