/**
 * Ed25519 public keys for `v1a`, imported once and verified without per-call conversions:
 * `node:crypto` (synchronous, found through `process.getBuiltinModule`, so no module statically
 * imports a Node built-in) when the runtime has it, WebCrypto otherwise.
 * @internal
 */

import { encodeBase64Url } from './base64.js';
import { nodeCrypto } from './node-builtin.js';

/** Which implementation verifies Ed25519: `node` (`node:crypto`) or `webcrypto` (`crypto.subtle`). */
export type Ed25519Implementation = 'node' | 'webcrypto';

/** An imported Ed25519 public key. */
export interface Ed25519PublicKey {
  /** True when `signature` (64 bytes) is valid for `data`. */
  verify(signature: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): boolean | Promise<boolean>;
}

/** Imports a raw 32-byte Ed25519 public key. */
export type Ed25519Importer = (raw: Uint8Array<ArrayBuffer>) => Promise<Ed25519PublicKey>;

interface NodeEd25519 {
  createPublicKey(input: { key: { kty: 'OKP'; crv: 'Ed25519'; x: string }; format: 'jwk' }): unknown;
  verify(algorithm: null, data: Uint8Array, key: unknown, signature: Uint8Array): boolean;
}

let ed25519Node: NodeEd25519 | null | undefined;

function loadNodeCrypto(): NodeEd25519 | null {
  if (ed25519Node !== undefined) return ed25519Node;
  const mod = nodeCrypto();
  ed25519Node =
    typeof mod?.createPublicKey === 'function' && typeof mod.verify === 'function'
      ? (mod as unknown as NodeEd25519)
      : null;
  return ed25519Node;
}

/** The implementation {@link ed25519Importer} picks by default in this runtime. */
export function defaultEd25519Implementation(): Ed25519Implementation {
  return loadNodeCrypto() ? 'node' : 'webcrypto';
}

async function importWebCrypto(raw: Uint8Array<ArrayBuffer>): Promise<Ed25519PublicKey> {
  const key = await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
  return { verify: (signature, data) => crypto.subtle.verify({ name: 'Ed25519' }, key, signature, data) };
}

/**
 * The importer for `implementation` (`node` falls back to WebCrypto where `node:crypto` is absent).
 * @example const key = await ed25519Importer()(raw32); await key.verify(sig64, data);
 */
export function ed25519Importer(implementation = defaultEd25519Implementation()): Ed25519Importer {
  const node = implementation === 'node' ? loadNodeCrypto() : null;
  if (!node) return importWebCrypto;
  return (raw) => {
    try {
      const keyObject = node.createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: encodeBase64Url(raw) },
        format: 'jwk',
      });
      return Promise.resolve({ verify: (signature, data) => node.verify(null, data, keyObject, signature) });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
}
