/**
 * Kefu's one error type: a code (what went wrong, for programs), a message (why, in words a person
 * can act on) and, through the code, an HTTP status. Services throw it; one mapper turns it into an
 * HTTP answer for every route (src/http/errors.ts), and dialogs turn codes they expect (not_found...)
 * into localized answers.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_transition'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'internal'
  | 'upstream_failed'
  | 'unavailable';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_transition: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  upstream_failed: 502,
  unavailable: 503,
};

export interface AppErrorOptions {
  /** A protocol's own name for the error, where a protocol fixes them (Direct Line: "BadArgument", "TokenExpired"...). */
  publicCode?: string;
  /** More for programs, sent with the answer (a refused move's from and to). */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly publicCode?: string;
  readonly details?: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.publicCode = options.publicCode;
    this.details = options.details;
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }
}
