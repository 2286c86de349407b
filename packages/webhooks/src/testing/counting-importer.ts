/**
 * An Ed25519 importer that counts its calls (the real importer underneath), for cache tests.
 */

import { ed25519Importer, type Ed25519Importer } from '../internal/ed25519.js';

export type CountingImporter = Ed25519Importer & { calls: number };

/** Wraps `inner` (default: the runtime's real importer) and counts the imports. */
export function countingImporter(inner: Ed25519Importer = ed25519Importer()): CountingImporter {
  const importer: CountingImporter = Object.assign(
    (raw: Uint8Array<ArrayBuffer>) => {
      importer.calls++;
      return inner(raw);
    },
    { calls: 0 },
  );
  return importer;
}
