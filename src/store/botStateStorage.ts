import type { Storage, StoreItems } from 'botbuilder';
import type { StateRow, TurnStore } from './turnStore';

/** Thrown when a write carries an eTag that is no longer the stored one (another turn wrote first). */
export class ETagConflictError extends Error {
  constructor(public readonly key: string) {
    super(`Storage: eTag conflict on key ${key}`);
    this.name = 'ETagConflictError';
  }
}

/** A conversation's state item while one turn of the conversation is under way (BotStateStorage.joinTurn). */
export interface TurnStateItem {
  /** The item as read with the inbound activity (null: none stored); undefined once handed out. */
  readAhead?: StateRow | null;
  /** The turn's write of the item (JSON), stored with the turn's replies at its end. */
  pendingWrite?: string;
}

/**
 * botbuilder Storage over the CRM store (table BotState), with eTag optimistic concurrency: an item
 * written with eTag "*" or none always wins; an item written with an eTag only replaces the stored
 * one if the eTag still matches, otherwise the write fails with ETagConflictError.
 *
 * A turn's own state item takes no round trip of its own: the turn middleware reads it with the
 * inbound activity and hands it to the turn's first read (`readAhead`), and the turn's write (eTag
 * "*", as botbuilder's BotState.saveChanges writes) waits for the turn's end, to be stored with the
 * replies in one transaction (TurnStore.finishTurn). Two round trips per turn instead of four.
 */
export class BotStateStorage implements Storage {
  private readonly underWay = new Map<string, TurnStateItem>();

  constructor(private readonly store: TurnStore) {}

  /** The state item `key` joins the turn now starting; undefined while another turn has it (that turn reads and writes as usual). */
  joinTurn(key: string): TurnStateItem | undefined {
    if (this.underWay.has(key)) return undefined;
    const item: TurnStateItem = {};
    this.underWay.set(key, item);
    return item;
  }

  leaveTurn(key: string, item: TurnStateItem): void {
    if (this.underWay.get(key) === item) this.underWay.delete(key);
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    const rest: string[] = [];
    for (const key of keys) {
      const turn = this.underWay.get(key);
      if (turn?.pendingWrite !== undefined) {
        items[key] = { ...JSON.parse(turn.pendingWrite), eTag: '*' }; // this turn's own write, not stored yet
      } else if (turn && turn.readAhead !== undefined) {
        if (turn.readAhead) items[key] = { ...JSON.parse(turn.readAhead.data), eTag: String(turn.readAhead.etag) };
        turn.readAhead = undefined; // handed out once: a later read asks the database
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
      const turn = this.underWay.get(key);
      if (!eTag || eTag === '*') {
        if (turn) turn.pendingWrite = data;
        else await this.store.upsertState(key, data, now);
        continue;
      }
      if (turn) turn.pendingWrite = undefined; // an explicit version replaces the pending write
      const version = Number(eTag);
      if (Number.isInteger(version) && (await this.store.updateState(key, data, version, now))) continue;
      // No row with that eTag: either the item is new (create it) or another writer won (conflict).
      if (!(await this.store.insertStateIfAbsent(key, data, now))) throw new ETagConflictError(key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      const turn = this.underWay.get(key);
      if (turn) {
        turn.pendingWrite = undefined;
        turn.readAhead = undefined;
      }
    }
    await this.store.deleteState(keys);
  }
}
