import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower-case

/** Random bytes drawn 4 KiB at a time: one `randomBytes` call per 256 ids instead of one per id. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * `prefix` + 10 chars of millisecond time + 16 random chars (80 bits), Crockford base32:
 * ids sort by creation time, contain no `.` (Standard Webhooks forbids it in `webhook-id`),
 * and are safe in URLs. Example: `msg_01jd3k8v9q4x7m2c5n8p0r3t6w`.
 */
export function sortableId(prefix: string, now: number = Date.now()): string {
  let time = '';
  let t = Math.max(0, Math.floor(now));
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  if (offset + 16 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET[pool[offset + i]! % 32]!;
  offset += 16;
  return `${prefix}${time}${rand}`;
}
