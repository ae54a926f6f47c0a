import type { Storage, StoreItems } from 'botbuilder';
import { Prisma } from '../../generated/sqlite/client';
import type { Db } from './db';
import { toNumber } from './sql';

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
 * It runs on every turn, so it uses one raw statement per operation (see src/store/sql.ts).
 */
export class PrismaStorage implements Storage {
  constructor(private readonly db: Db) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const rows = await this.db.$queryRaw<{ key: string; data: string; etag: number | bigint }[]>`
      SELECT "key", "data", "etag" FROM "BotState" WHERE "key" IN (${Prisma.join(keys)})`;
    const items: StoreItems = {};
    for (const row of rows) items[row.key] = { ...JSON.parse(row.data), eTag: String(toNumber(row.etag)) };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const now = new Date();
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...rest } = (item ?? {}) as { eTag?: string } & Record<string, unknown>;
      const data = JSON.stringify(rest);
      if (!eTag || eTag === '*') {
        await this.db.$executeRaw`
          INSERT INTO "BotState" ("key", "data", "etag", "updatedAt") VALUES (${key}, ${data}, 1, ${now})
          ON CONFLICT ("key") DO UPDATE SET "data" = excluded."data", "etag" = "BotState"."etag" + 1, "updatedAt" = excluded."updatedAt"`;
        continue;
      }
      const version = Number(eTag);
      const updated = Number.isInteger(version)
        ? await this.db.$executeRaw`
            UPDATE "BotState" SET "data" = ${data}, "etag" = "etag" + 1, "updatedAt" = ${now}
            WHERE "key" = ${key} AND "etag" = ${version}`
        : 0;
      if (updated === 1) continue;
      // No row with that eTag: either the item is new (create it) or another writer won (conflict).
      const created = await this.db.$executeRaw`
        INSERT INTO "BotState" ("key", "data", "etag", "updatedAt") VALUES (${key}, ${data}, 1, ${now})
        ON CONFLICT ("key") DO NOTHING`;
      if (created !== 1) throw new ETagConflictError(key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.$executeRaw`DELETE FROM "BotState" WHERE "key" IN (${Prisma.join(keys)})`;
  }
}
