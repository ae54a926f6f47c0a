/**
 * The one error type of the tickets module. The HTTP layer maps `code` to a status; dialogs map
 * `not_found` to a localized answer. The message says why, in words an agent can act on.
 */
export type TicketErrorCode = 'unauthorized' | 'forbidden' | 'not_found' | 'invalid_request' | 'invalid_transition' | 'conflict';

export const HTTP_STATUS: Record<TicketErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid_request: 400,
  invalid_transition: 400,
  conflict: 409,
};

export class TicketError extends Error {
  constructor(
    readonly code: TicketErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TicketError';
  }
}
