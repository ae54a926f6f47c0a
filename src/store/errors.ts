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

export function isNotFound(err: unknown): boolean {
  return prismaCode(err) === PRISMA_RECORD_NOT_FOUND;
}
