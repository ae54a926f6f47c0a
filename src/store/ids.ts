import { randomFillSync } from 'node:crypto';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const bytes = new Uint8Array(16);
/** Random bytes drawn 4 KiB at a time: one randomFillSync per id cost more than the rest of the id. */
const pool = new Uint8Array(4096);
let poolOffset = pool.length;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Ids made later
 * sort later, so a table keyed by them grows at the end of its primary-key index instead of at random
 * places in it (a v4 UUID touches a random index page per insert: once the index outgrows the cache,
 * every transcript row costs a page read and a page write). Used for the rows written on every turn.
 */
export function timeOrderedId(now: number = Date.now()): string {
  if (poolOffset + 10 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  bytes.set(pool.subarray(poolOffset, poolOffset + 10), 6);
  poolOffset += 10;
  let ms = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | (bytes[6]! & 0x0f); // version 7
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // variant 10
  let s = '';
  for (let i = 0; i < 16; i++) {
    s += HEX[bytes[i]!];
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s;
}
