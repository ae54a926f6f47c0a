import crypto from 'node:crypto';

/** A compact HS256 JWT: what the channel's tokens and the shop's identity tokens both are. */
export type JwtPayload = Record<string, unknown> & { exp: number };

export type JwtResult<T> = { ok: true; payload: T } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

function sign(key: Buffer | string, data: string): string {
  return crypto.createHmac('sha256', key).update(data).digest('base64url');
}

export function signJwt(key: Buffer | string, payload: JwtPayload): string {
  const body = `${HEADER}.${base64url(JSON.stringify(payload))}`;
  return `${body}.${sign(key, body)}`;
}

/** Verifies signature (constant time), algorithm and expiry (`exp`, seconds since the epoch). */
export function verifyJwt<T extends JwtPayload>(key: Buffer | string, token: string, nowMs: number): JwtResult<T> {
  const parts = token.split('.');
  if (parts.length !== 3 || token.length > 4096) return { ok: false, reason: 'malformed' };
  const [header, body, signature] = parts as [string, string, string];
  let parsedHeader: unknown;
  let payload: unknown;
  try {
    parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isRecord(parsedHeader) || parsedHeader.alg !== 'HS256') return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(sign(key, `${header}.${body}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return { ok: false, reason: 'signature' };
  if (!isRecord(payload) || typeof payload.exp !== 'number') return { ok: false, reason: 'malformed' };
  if (payload.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, payload: payload as T };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A key for one purpose, derived from a configured secret (so one secret never signs two kinds of token). */
export function deriveKey(secret: string, purpose: string): Buffer {
  return crypto.createHmac('sha256', secret).update(`kefu:${purpose}:v1`).digest();
}

export function randomId(bytes = 16): string {
  return crypto.randomBytes(bytes).toString('base64url');
}
