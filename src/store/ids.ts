import { v7 } from 'uuid';

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then a counter and random bits. Ids
 * made later sort later, also within one millisecond (the counter), so a table keyed by them grows
 * at the end of its primary-key index instead of at random places in it (a v4 UUID touches a random
 * index page per insert), and rows can be read back in the order they were made (domain events).
 */
export function timeOrderedId(): string {
  return v7();
}
