import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower-case

/** Random bytes drawn 4 KiB at a time: one `randomBytes` call per 256 ids instead of one per id. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** The millisecond and the 16 random digits (0–31) of the last id made in this process. */
let lastMs = -1;
const lastDigits = new Uint8Array(16);

function freshDigits(): void {
  if (offset + 16 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  for (let i = 0; i < 16; i++) lastDigits[i] = pool[offset + i]! % 32;
  offset += 16;
}

/** Adds one to the random part (base 32, carrying leftwards). */
function incrementDigits(): void {
  for (let i = 15; i >= 0; i--) {
    if (lastDigits[i]! < 31) {
      lastDigits[i]!++;
      return;
    }
    lastDigits[i] = 0;
  }
}

/**
 * `prefix` + 10 chars of millisecond time + 16 random chars (80 bits), Crockford base32:
 * ids sort by creation time, contain no `.` (Standard Webhooks forbids it in `webhook-id`),
 * and are safe in URLs. Example: `msg_01jd3k8v9q4x7m2c5n8p0r3t6w`. Within one millisecond (or a
 * frozen test clock) the random part of this process's next id is the last one plus one, so ids
 * made one after another sort in the order they were made (as ULID's monotonic mode does).
 */
export function sortableId(prefix: string, now: number = Date.now()): string {
  const ms = Math.max(0, Math.floor(now));
  let time = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  if (ms === lastMs) incrementDigits();
  else freshDigits();
  lastMs = ms;
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET[lastDigits[i]!]!;
  return `${prefix}${time}${rand}`;
}

/**
 * Upper bound of the ids of events created before `before` (ms). Event ids are `evt_` + 10
 * characters of millisecond time + randomness (`sortableId`), so `id < bound` walks the primary
 * key in time order; stores still check `created_at` too.
 */
export function eventIdBound(before: number): string {
  return sortableId('evt_', before).slice(0, 'evt_'.length + 10);
}
