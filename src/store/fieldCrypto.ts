import crypto from 'node:crypto';
import { pooledRandomBytes } from './randomPool';

/**
 * Personal data at rest: AES-256-GCM per value (node:crypto), with the id of the key that sealed it
 * stored in the value, so keys can rotate (`npm run keys:rotate`), and keyed HMAC-SHA256 blind
 * indexes, so a customer can still be looked up by phone or e-mail without storing either in clear.
 *
 * A sealed value: `enc:v1:<key id>:<iv>:<tag>:<ciphertext>`, each part base64url. Anything else is a
 * clear value (a row from before the encryption migration) and is read as it is.
 */
export const SEALED_PREFIX = 'enc:v1:';

const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;

export interface KeyRing {
  /** The key new values are sealed with (the first of KEFU_DATA_KEYS). */
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
  /** The blind indexes' HMAC key (KEFU_INDEX_KEY), never used for encryption. */
  indexKey: Buffer;
  /** True for the built-in development keys (refused when NODE_ENV=production). */
  development: boolean;
}

function key32(text: string, what: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error(`${what} must be 32 bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
  return key;
}

/** Parses `k1:<base64 32 bytes>,k2:<...>` (the first is current) and the index key; throws with the reason. */
export function parseKeyRing(dataKeys: string, indexKey: string): KeyRing {
  const keys = new Map<string, Buffer>();
  for (const part of dataKeys.split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf(':');
    const id = at > 0 ? part.slice(0, at) : '';
    if (!KEY_ID.test(id)) throw new Error(`each key is <id>:<base64>, the id letters, digits, _ or - (got "${part.slice(0, 8)}...")`);
    if (keys.has(id)) throw new Error(`key id ${id} appears twice`);
    keys.set(id, key32(part.slice(at + 1), `key ${id}`));
  }
  if (!keys.size) throw new Error('no key given');
  return { currentId: [...keys.keys()][0], keys, indexKey: key32(indexKey, 'the index key'), development: false };
}

/**
 * DEVELOPMENT ONLY: fixed, public keys so that the demo and the tests run without configuration.
 * Anyone with this source code can read data sealed with them; a start with NODE_ENV=production and no
 * KEFU_DATA_KEYS is refused (src/features/privacy/config.ts).
 */
export const DEVELOPMENT_KEY_RING: KeyRing = {
  currentId: 'dev',
  keys: new Map([['dev', crypto.createHash('sha256').update('kefu development data key: NOT SECRET').digest()]]),
  indexKey: crypto.createHash('sha256').update('kefu development index key: NOT SECRET').digest(),
  development: true,
};

const b64 = (b: Buffer) => b.toString('base64url');

/** Seals and opens values with a key ring; computes blind indexes. */
export class FieldCipher {
  constructor(readonly ring: KeyRing = DEVELOPMENT_KEY_RING) {}

  static isSealed(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
  }

  /** The id of the key a sealed value was sealed with (undefined for a clear value). */
  static keyIdOf(value: string): string | undefined {
    return FieldCipher.isSealed(value) ? value.slice(SEALED_PREFIX.length).split(':')[0] : undefined;
  }

  seal(plain: string): string {
    const key = this.ring.keys.get(this.ring.currentId)!;
    const iv = pooledRandomBytes(12); // used at once: the cipher copies it, b64() reads it below, nothing refills the pool meanwhile
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${SEALED_PREFIX}${this.ring.currentId}:${b64(iv)}:${b64(cipher.getAuthTag())}:${b64(ct)}`;
  }

  /** The clear text of a sealed value; a clear value is returned as it is. Throws on a wrong key or a tampered value. */
  open(value: string): string {
    if (!FieldCipher.isSealed(value)) return value;
    const [id, iv, tag, ct] = value.slice(SEALED_PREFIX.length).split(':');
    const key = this.ring.keys.get(id);
    if (!key) throw new Error(`a value is sealed with key "${id}", which is not in KEFU_DATA_KEYS`);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Sealed with the current key already (nothing for keys:rotate to do). */
  isCurrent(value: string): boolean {
    return FieldCipher.keyIdOf(value) === this.ring.currentId;
  }

  /** A blind index: HMAC-SHA256 of the kind and the normalized value, base64url (equal values, equal index). */
  blindIndex(kind: 'phone' | 'email', normalized: string): string {
    return crypto.createHmac('sha256', this.ring.indexKey).update(`${kind}:${normalized}`).digest('base64url');
  }
}
