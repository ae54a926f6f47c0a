import type { Storage, StoreItems } from 'botbuilder';
import type { Db } from './db';
import { isUniqueViolation } from './errors';

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
 */
export class PrismaStorage implements Storage {
  constructor(private readonly db: Db) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const rows = await this.db.botState.findMany({ where: { key: { in: keys } } });
    const items: StoreItems = {};
    for (const row of rows) items[row.key] = { ...JSON.parse(row.data), eTag: String(row.etag) };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...rest } = (item ?? {}) as { eTag?: string } & Record<string, unknown>;
      const data = JSON.stringify(rest);
      if (!eTag || eTag === '*') {
        await this.db.botState.upsert({
          where: { key },
          create: { key, data },
          update: { data, etag: { increment: 1 } },
        });
        continue;
      }
      const version = Number(eTag);
      const updated = Number.isInteger(version)
        ? await this.db.botState.updateMany({ where: { key, etag: version }, data: { data, etag: { increment: 1 } } })
        : { count: 0 };
      if (updated.count === 1) continue;
      const exists = await this.db.botState.findUnique({ where: { key }, select: { key: true } });
      if (exists) throw new ETagConflictError(key);
      try {
        await this.db.botState.create({ data: { key, data } });
      } catch (err) {
        if (isUniqueViolation(err)) throw new ETagConflictError(key);
        throw err;
      }
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.botState.deleteMany({ where: { key: { in: keys } } });
  }
}
