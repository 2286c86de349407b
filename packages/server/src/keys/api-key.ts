import { createHash } from 'node:crypto';
import { BASE62, randomString } from '../kernel/random-id.js';

/** A new project API key: `hk_` + 32 base62 characters (≈ 190 bits). Show it once; store only its hash. */
export function newApiKey(): string {
  return `hk_${randomString(BASE62, 32)}`;
}

/** A new admin key: `ha_` + 32 base62 characters; the prefix tells it from a project key at a glance. */
export function newAdminKey(): string {
  return `ha_${randomString(BASE62, 32)}`;
}

/**
 * The value to store and look up for an API key: lowercase hex SHA-256 of the key's UTF-8 bytes.
 * API keys are high-entropy random strings, so a fast unsalted hash is sufficient.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
