/**
 * Byte and string helpers: UTF-8, concatenation, constant-time comparison.
 * @internal
 */

import type { WebhookPayload } from '../webhook-input.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 encodes a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The payload as bytes (strings are UTF-8 encoded; `Buffer` is a `Uint8Array`). */
export function payloadBytes(payload: WebhookPayload): Uint8Array {
  if (typeof payload === 'string') return encoder.encode(payload);
  return payload instanceof Uint8Array ? payload : new Uint8Array(payload);
}

/** The payload as text (bytes are UTF-8 decoded). */
export function payloadText(payload: WebhookPayload): string {
  return typeof payload === 'string' ? payload : decoder.decode(payload);
}

/** `prefix` and the payload as one byte array (one UTF-8 encoding for string payloads). */
export function signedBytes(prefix: string, payload: WebhookPayload): Uint8Array<ArrayBuffer> {
  if (typeof payload === 'string') return encoder.encode(prefix + payload);
  return concatBytes(encoder.encode(prefix), payload instanceof Uint8Array ? payload : new Uint8Array(payload));
}

/** Concatenates two byte arrays. */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * Compares two strings in time that depends only on their length (which is public: it is the
 * length of the expected signature).
 */
export function timingSafeEqualString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Compares two byte arrays in time that depends only on their length. */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
