import type { Response } from 'restify';
import { AppError } from '../errors';
import type { Logger } from '../logger';

/**
 * How a family of routes writes an error: Kefu's own APIs `{ "error": code, "message": ... }` (plus
 * the error's details), the Direct Line channel `{ "error": { "code", "message" } }` as its protocol
 * says, with the protocol's codes.
 */
export type ErrorFormat = 'kefu' | 'directline';

const DIRECTLINE_CODES: Partial<Record<AppError['code'], string>> = {
  invalid_request: 'BadArgument',
  unauthorized: 'MissingToken',
  forbidden: 'Forbidden',
  not_found: 'NotFound',
  too_large: 'MessageSizeTooBig',
  unsupported_media_type: 'UnsupportedMediaType',
  rate_limited: 'TooManyRequests',
  upstream_failed: 'BotError',
};

/**
 * The one mapping of errors to HTTP answers, for every route: an AppError is answered with its
 * status and message; anything else is a bug, logged with the route and answered 500 without
 * details.
 */
export function sendError(res: Response, err: unknown, { logger, format = 'kefu' }: { logger?: Logger; format?: ErrorFormat } = {}): void {
  const known = err instanceof AppError ? err : undefined;
  if (!known) logger?.error({ err, url: res.req?.url?.split('?')[0] }, 'request failed');
  const error = known ?? new AppError('internal', 'The request failed; it was logged.');
  if (error.code === 'unauthorized' && format === 'kefu') res.header('WWW-Authenticate', 'Bearer realm="kefu"');
  res.status(error.status);
  // A refused body may still be arriving: this connection is not reused.
  if (error.status === 413 || error.status === 415) res.setHeader('Connection', 'close');
  if (format === 'directline') {
    res.json({ error: { code: error.publicCode ?? DIRECTLINE_CODES[error.code] ?? 'ServiceError', message: error.message } });
  } else {
    res.json({ error: error.code, message: error.message, ...error.details });
  }
}
