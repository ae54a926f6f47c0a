import crypto from 'node:crypto';
import { AppError } from '../../errors';

/** The headers of a signed request, in both directions (the shop to Kefu, Kefu to the shop). */
export const TIMESTAMP_HEADER = 'x-kefu-timestamp';
export const SIGNATURE_HEADER = 'x-kefu-signature';

/** `sha256=` + hex HMAC-SHA256 over `<timestamp>.<raw body>` with the shared secret. */
export function sign(secret: string, timestamp: number | string, body: Buffer | string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** The two headers for a body sent now (seconds since the epoch). */
export function signedHeaders(secret: string, body: Buffer | string, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: sign(secret, timestamp, body) };
}

/**
 * Checks a request's signature and age; throws AppError 401 saying what is wrong. Returns the
 * signature (the caller refuses one it has seen before: a replay).
 */
export function verify(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: Buffer,
  now: Date,
  toleranceSeconds: number,
): string {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) throw new AppError('unauthorized', `Sign the request: send ${TIMESTAMP_HEADER} (Unix seconds) and ${SIGNATURE_HEADER} (sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">)`);
  if (!/^\d{1,12}$/.test(timestamp)) throw new AppError('unauthorized', `${TIMESTAMP_HEADER} must be Unix time in seconds`);
  const age = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (age > toleranceSeconds) throw new AppError('unauthorized', `The request is stale: its timestamp is ${Math.round(age)} s from the server's time (at most ${toleranceSeconds} s)`);
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature.trim().toLowerCase());
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw new AppError('unauthorized', 'The signature does not match the body and timestamp (wrong secret, or the body was changed)');
  return signature.trim().toLowerCase();
}
