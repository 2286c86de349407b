/**
 * Synchronous `v1` signing (HMAC-SHA256, base64), selected once per key:
 * `node:crypto` when the runtime has it (Node, Bun, Deno, workerd with `nodejs_compat`), found
 * through `process.getBuiltinModule` so that no module statically imports a Node built-in;
 * otherwise the bundled pure-TypeScript implementation.
 * @internal
 */

import type { WebhookPayload } from '../webhook-input.js';
import { encodeBase64 } from './base64.js';
import { payloadBytes, utf8 } from './bytes.js';
import { createHmacSha256 } from './sha256.js';
import { nodeCrypto } from './node-builtin.js';

interface NodeHmac {
  update(data: string | Uint8Array): NodeHmac;
  digest(encoding: 'base64'): string;
}
interface NodeCrypto {
  createHmac(algorithm: 'sha256', key: unknown): NodeHmac;
  createSecretKey(key: Uint8Array): unknown;
}

/** Computes the base64 HMAC-SHA256 of `prefix + body` (prefix = `${id}.${timestamp}.`). */
export type V1Signer = (prefix: string, body: WebhookPayload) => string;

/** Which implementation a signer uses: `node` (`node:crypto`) or `pure` (bundled TypeScript). */
export type HmacImplementation = 'node' | 'pure';

let hmacNode: NodeCrypto | null | undefined;

function loadNodeCrypto(): NodeCrypto | null {
  if (hmacNode !== undefined) return hmacNode;
  const mod = nodeCrypto();
  hmacNode = typeof mod?.createHmac === 'function' ? (mod as unknown as NodeCrypto) : null;
  return hmacNode;
}

/** The implementation {@link createV1Signer} picks by default in this runtime. */
export function defaultHmacImplementation(): HmacImplementation {
  return loadNodeCrypto() ? 'node' : 'pure';
}

/**
 * Builds a signer for one secret.
 * @example createV1Signer(key)('msg_1.1614265330.', '{"a":1}') // base64 signature
 */
export function createV1Signer(key: Uint8Array, implementation = defaultHmacImplementation()): V1Signer {
  const node = implementation === 'node' ? loadNodeCrypto() : null;
  if (node) {
    const keyObject = node.createSecretKey(key);
    return (prefix, body) => {
      const hmac = node.createHmac('sha256', keyObject);
      // One native call for string bodies (the common case); bytes are hashed as they are.
      if (typeof body === 'string') return hmac.update(prefix + body).digest('base64');
      return hmac
        .update(prefix)
        .update(body instanceof ArrayBuffer ? new Uint8Array(body) : body)
        .digest('base64');
    };
  }
  const hmac = createHmacSha256(key);
  return (prefix, body) => encodeBase64(hmac([utf8(prefix), payloadBytes(body)]));
}
