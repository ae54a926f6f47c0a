/** Prisma error codes Kefu maps explicitly (https://www.prisma.io/docs/orm/reference/error-reference). */
export const PRISMA_UNIQUE_VIOLATION = 'P2002';
export const PRISMA_RECORD_NOT_FOUND = 'P2025';
export const PRISMA_FOREIGN_KEY_VIOLATION = 'P2003';

export function prismaCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return undefined;
}

export function isUniqueViolation(err: unknown): boolean {
  return prismaCode(err) === PRISMA_UNIQUE_VIOLATION;
}

/** Anything thrown, as an Error (to reject a promise or answer a batch item with). */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** An error PostgreSQL answered with (an SQLSTATE): the connection is fine and the statement wrote nothing. */
export function isPgServerError(err: unknown): boolean {
  const e = err as { severity?: unknown; code?: unknown } | null;
  return typeof e?.severity === 'string' && typeof e.code === 'string' && e.code.length === 5;
}

export function isNotFound(err: unknown): boolean {
  return prismaCode(err) === PRISMA_RECORD_NOT_FOUND;
}
