import type { Prisma } from '../../generated/sqlite/client';

/** A Prisma Json input from any plain value (drops undefined, as JSON does). */
export function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as Prisma.InputJsonValue;
}
