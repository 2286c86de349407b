import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** Encrypts short secrets (signing secrets, private keys) for storage at rest. */
export interface SecretBox {
  /** Encrypts `plaintext` (UTF-8) and returns `v1.<b64url nonce>.<b64url ciphertext‖tag>`. */
  seal(plaintext: string): string;
  /**
   * Decrypts a value produced by {@link SecretBox.seal}.
   *
   * @throws Error when the value is malformed, was tampered with, or was sealed with another key.
   */
  open(sealed: string): string;
}

/**
 * Creates an AES-256-GCM secret box bound to a 32-byte master key. Every `seal()` uses a fresh
 * random 12-byte nonce, so sealing the same plaintext twice gives different outputs.
 *
 * @param masterKey 32 bytes, e.g. from `loadOrCreateMasterKey()`.
 * @example
 * const box = createSecretBox(masterKey);
 * const stored = box.seal('whsec_…');   // 'v1.Jk3…' — safe to write to the database
 * box.open(stored);                     // 'whsec_…'
 */
export function createSecretBox(masterKey: Uint8Array): SecretBox {
  if (masterKey.length !== KEY_BYTES) {
    throw new RangeError(`secret box: master key must be ${KEY_BYTES} bytes, got ${masterKey.length}`);
  }
  const key = Buffer.from(masterKey); // private copy: later changes to the caller's array don't affect us

  return {
    seal(plaintext) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${nonce.toString('base64url')}.${sealed.toString('base64url')}`;
    },

    open(sealed) {
      const parts = sealed.split('.');
      const [version, nonceText, bodyText] = parts;
      if (parts.length !== 3 || version !== VERSION || nonceText === undefined || bodyText === undefined) {
        throw new Error(`secret box: malformed sealed value (expected "${VERSION}.<nonce>.<ciphertext>")`);
      }
      const nonce = Buffer.from(nonceText, 'base64url');
      const body = Buffer.from(bodyText, 'base64url');
      if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) {
        throw new Error('secret box: malformed sealed value (bad nonce or ciphertext length)');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString(
          'utf8',
        );
      } catch (cause) {
        throw new Error('secret box: cannot open sealed value (wrong master key or tampered data)', { cause });
      }
    },
  };
}
