import crypto from 'node:crypto';
import { deriveKey, randomId, signJwt, verifyJwt, type JwtPayload } from './jwt';

/** A Direct Line token's claims: it opens one conversation, for one user, until `exp`. */
export interface ConversationClaims extends JwtPayload {
  /** The conversation id. */
  conv: string;
  /** The Direct Line user id (Web Chat reads this claim). */
  user: string;
  /** 'conversation' for the REST API, 'stream' for a streamUrl (short-lived). */
  scp: 'conversation' | 'stream';
  iat: number;
}

/** A shop identity token's claims: the shop's customer id (`sub`), until `exp`. */
export interface IdentityClaims extends JwtPayload {
  sub: string;
  name?: string;
}

export type TokenCheck =
  | { ok: true; claims: ConversationClaims }
  | { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'expired' | 'scope' };

/** The shop's signed-in customer, verified until `until` (the identity token's exp, at most SHOP_IDENTITY_MAX_TTL_SECONDS from now). */
export interface ShopIdentity {
  externalId: string;
  name?: string;
  until: Date;
}

export type IdentityCheck = ({ ok: true } & ShopIdentity) | { ok: false; reason: string };

export interface IssuedToken {
  conversationId: string;
  token: string;
  expires_in: number;
}

const STREAM_TTL_SECONDS = 120;
const EXTERNAL_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

export interface TokenServiceOptions {
  /** DIRECTLINE_TOKEN_SECRET (or the per-process random default). */
  siteSecret: string;
  /** SHOP_IDENTITY_SECRET (or the per-process random default). */
  identitySecret: string;
  ttlSeconds: number;
  identityMaxTtlSeconds: number;
  now?: () => number;
}

/** Signs and checks the channel's conversation tokens and the shop's identity tokens (HS256). */
export class TokenService {
  private readonly tokenKey: Buffer;
  private readonly now: () => number;

  constructor(private readonly options: TokenServiceOptions) {
    this.tokenKey = deriveKey(options.siteSecret, 'directline-token');
    this.now = options.now ?? Date.now;
  }

  /** A key derived from the site secret for another purpose (e.g. the connector's path). */
  derive(purpose: string): string {
    return deriveKey(this.options.siteSecret, purpose).toString('base64url').slice(0, 32);
  }

  isSiteSecret(given: string): boolean {
    const a = crypto.createHash('sha256').update(given).digest();
    const b = crypto.createHash('sha256').update(this.options.siteSecret).digest();
    return crypto.timingSafeEqual(a, b);
  }

  newConversationId(): string {
    return randomId(18);
  }

  newUserId(): string {
    return `dl_${randomId(12)}`;
  }

  issue(conversationId: string, userId: string): IssuedToken {
    const iat = Math.floor(this.now() / 1000);
    const token = signJwt(this.tokenKey, { conv: conversationId, user: userId, scp: 'conversation', iat, exp: iat + this.options.ttlSeconds, jti: randomId(9) });
    return { conversationId, token, expires_in: this.options.ttlSeconds };
  }

  issueStream(conversationId: string, userId: string): string {
    const iat = Math.floor(this.now() / 1000);
    return signJwt(this.tokenKey, { conv: conversationId, user: userId, scp: 'stream', iat, exp: iat + STREAM_TTL_SECONDS, jti: randomId(9) });
  }

  check(token: string | undefined, scope: ConversationClaims['scp']): TokenCheck {
    if (!token) return { ok: false, reason: 'missing' };
    const result = verifyJwt<ConversationClaims>(this.tokenKey, token, this.now());
    if (!result.ok) return result;
    const c = result.payload;
    if (typeof c.conv !== 'string' || typeof c.user !== 'string') return { ok: false, reason: 'malformed' };
    if (c.scp !== scope) return { ok: false, reason: 'scope' };
    return { ok: true, claims: c };
  }

  /** Checks a token the shop's server signed for its signed-in customer. */
  checkIdentity(token: string): IdentityCheck {
    const result = verifyJwt<IdentityClaims>(this.options.identitySecret, token, this.now());
    if (!result.ok) return { ok: false, reason: result.reason };
    const { sub, exp, name } = result.payload;
    if (typeof sub !== 'string' || !EXTERNAL_ID.test(sub)) return { ok: false, reason: 'sub' };
    const latest = this.now() + this.options.identityMaxTtlSeconds * 1000;
    if (exp * 1000 > latest) return { ok: false, reason: 'lifetime' };
    return { ok: true, externalId: sub, name: typeof name === 'string' ? name.slice(0, 100) : undefined, until: new Date(Math.min(exp * 1000, latest)) };
  }

  /** What the shop's server does (used by the demo page's sign-in, and by tests). */
  signIdentity(externalId: string, ttlSeconds: number, name?: string): string {
    return signShopIdentity(this.options.identitySecret, externalId, ttlSeconds, this.now(), name);
  }
}

/** Signs a shop identity token: an HS256 JWT with `sub` = the shop's customer id. */
export function signShopIdentity(secret: string, externalId: string, ttlSeconds: number, nowMs = Date.now(), name?: string): string {
  const iat = Math.floor(nowMs / 1000);
  return signJwt(secret, { sub: externalId, iat, exp: iat + ttlSeconds, ...(name ? { name } : {}) });
}
