import { pgConnectionFields, providerOf, sqliteFilePath } from '../store/connection';

/** Exit codes of a failed start (sysexits.h), so a script or a process manager can tell them apart. */
export const EXIT_CODES = {
  /** A configuration value is wrong (a bad variable, a database that does not exist, a refused login). */
  config: 78,
  /** Something the bot needs is not there: the port is taken, the database does not answer. */
  unavailable: 69,
} as const;

/**
 * A start-up failure the operator can fix, said in one line (printed as `kefu: <message>`, without a
 * stack trace) with its exit code. Every such message is in this file.
 */
export class StartError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'StartError';
  }
}

/** The error codes in an error, its causes and (for connection attempts to several addresses) its parts. */
function codesOf(err: unknown, seen = new Set<unknown>()): string[] {
  if (!err || typeof err !== 'object' || seen.has(err)) return [];
  seen.add(err);
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof e.code === 'string' ? [e.code] : [];
  const parts = Array.isArray(e.errors) ? e.errors.flatMap((p) => codesOf(p, seen)) : [];
  return [...own, ...codesOf(e.cause, seen), ...parts];
}

/** Why the server could not listen on host:port, or undefined for an error this file does not explain. */
export function listenStartError(err: unknown, host: string, port: number): StartError | undefined {
  const codes = codesOf(err);
  if (codes.includes('EADDRINUSE')) {
    return new StartError(
      `port ${port} is already in use on ${host} (another Kefu, or another program, listens there): stop it, or set another port, e.g. PORT=${port === 3979 ? 3980 : 3979} npm start`,
      EXIT_CODES.unavailable,
    );
  }
  if (codes.includes('EACCES')) {
    return new StartError(`not allowed to listen on port ${port} (ports below 1024 need privileges): set another port, e.g. PORT=3978`, EXIT_CODES.unavailable);
  }
  if (codes.includes('EADDRNOTAVAIL') || codes.includes('ENOTFOUND')) {
    return new StartError(`cannot listen on HOST=${host}: no network interface has that address (use 0.0.0.0 for all, or 127.0.0.1 for this machine only)`, EXIT_CODES.config);
  }
  return undefined;
}

const PG_UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused: is the server running, on that port?',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ECONNRESET: 'the server closed the connection',
  P1001: 'the server does not answer: is it running, on that port?', // Prisma's "Can't reach database server"
};

/**
 * Why the store could not be opened (migrations, connection, demo data), for the failures an operator
 * fixes outside Kefu: a PostgreSQL server that does not answer, a database that does not exist, a
 * refused login; a SQLite file that another process holds or that cannot be written. Undefined for
 * anything else (a bug: its stack trace is printed). The password in DATABASE_URL is never shown.
 */
export function storeStartError(err: unknown, databaseUrl: string): StartError | undefined {
  const codes = codesOf(err);
  if (providerOf(databaseUrl) === 'sqlite') {
    const file = sqliteFilePath(databaseUrl);
    if (codes.some((c) => c.startsWith('SQLITE_BUSY') || c.startsWith('SQLITE_LOCKED'))) {
      return new StartError(`the SQLite file ${file} is locked by another process (another Kefu on the same file?): stop it, or give this one its own DATABASE_URL`, EXIT_CODES.unavailable);
    }
    const unwritable = codes.find((c) => c.startsWith('SQLITE_CANTOPEN') || c.startsWith('SQLITE_READONLY') || ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST'].includes(c));
    if (unwritable) {
      return new StartError(`cannot create or write the SQLite file ${file} (${unwritable}): check that its folder can be created and written, or set DATABASE_URL=file:<another path>`, EXIT_CODES.config);
    }
    return undefined;
  }
  const { host, port, user, database } = pgConnectionFields(databaseUrl);
  const where = `PostgreSQL at ${host}:${port}`;
  const unreachable = codes.find((c) => Object.hasOwn(PG_UNREACHABLE, c));
  if (unreachable) {
    return new StartError(`cannot reach ${where} (DATABASE_URL): ${PG_UNREACHABLE[unreachable]}`, EXIT_CODES.unavailable);
  }
  if (codes.includes('3D000') || codes.includes('P1003')) {
    return new StartError(`${where} has no database "${database}": create it (createdb -h ${host} -p ${port} -U ${user} ${database}) or fix DATABASE_URL`, EXIT_CODES.config);
  }
  if (codes.includes('28P01') || codes.includes('28000') || codes.includes('P1000')) {
    return new StartError(`${where} refused user "${user}" on database "${database}": check the user and password in DATABASE_URL (and the server's pg_hba.conf)`, EXIT_CODES.config);
  }
  return undefined;
}
