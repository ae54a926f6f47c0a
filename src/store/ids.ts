import { v7 } from 'uuid';
import { pooledRandomBytes } from './randomPool';

/** The last id's millisecond and counter (uuid keeps its own only when it draws the random bytes itself). */
let lastMsecs = -Infinity;
let seq = 0;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then a counter and random bits. Ids
 * made later sort later, also within one millisecond (the counter), so a table keyed by them grows
 * at the end of its primary-key index instead of at random places in it (a v4 UUID touches a random
 * index page per insert), and rows can be read back in the order they were made (domain events).
 */
export function timeOrderedId(): string {
  const random = pooledRandomBytes(16);
  const now = Date.now();
  if (now > lastMsecs) {
    // A new millisecond: the counter starts at a random value (31 bits, as uuid's own v7 does).
    seq = ((random[6] & 0x7f) << 24) | (random[7] << 16) | (random[8] << 8) | random[9];
    lastMsecs = now;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) lastMsecs++; // the counter wrapped: borrow the next millisecond
  }
  return v7({ random, msecs: lastMsecs, seq });
}
