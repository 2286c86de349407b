import type { Readable } from 'node:stream';

/** Bytes read (and discarded) past the excerpt so the socket can be reused; beyond this it is closed. */
export const DRAIN_LIMIT_BYTES = 64 * 1024;

/**
 * Decodes at most `maxBytes` of UTF-8 without splitting a character: an incomplete trailing
 * sequence is dropped, invalid bytes become U+FFFD, NUL becomes U+FFFD (PostgreSQL `text` cannot
 * hold it), and the result's UTF-8 encoding never exceeds `maxBytes`.
 */
export function utf8Excerpt(bytes: Uint8Array, maxBytes: number): string {
  const text = new TextDecoder('utf-8')
    .decode(bytes.subarray(0, maxBytes), { stream: true })
    .replaceAll('\0', '\uFFFD');
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let out = '';
  let size = 0;
  for (const ch of text) {
    size += Buffer.byteLength(ch, 'utf8');
    if (size > maxBytes) break;
    out += ch;
  }
  return out;
}

/** Result of {@link readResponseExcerpt}: the excerpt, and the stream error if reading failed midway. */
export interface ResponseExcerpt {
  text: string;
  error?: unknown;
}

/**
 * Reads the first `maxBytes` of a response body as a safe UTF-8 excerpt and discards the rest:
 * up to {@link DRAIN_LIMIT_BYTES} are drained so the keep-alive socket can be reused, and a larger
 * body is cut off by destroying the stream (which closes that connection; never an error). Never
 * rejects: a real stream error (timeout, reset) is returned in `error` with whatever was read.
 */
export function readResponseExcerpt(
  body: Readable,
  maxBytes: number,
  drainLimitBytes = DRAIN_LIMIT_BYTES,
): Promise<ResponseExcerpt> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let seen = 0;
    let cutOff = false;
    let error: unknown;
    body.on('data', (chunk: Buffer) => {
      if (kept < maxBytes) {
        const part = chunk.subarray(0, maxBytes - kept);
        chunks.push(part);
        kept += part.length;
      }
      seen += chunk.length;
      if (seen > drainLimitBytes && !cutOff) {
        cutOff = true;
        body.destroy();
      }
    });
    body.on('error', (err) => {
      if (!cutOff) error = err;
    });
    body.once('close', () => {
      const text = utf8Excerpt(Buffer.concat(chunks), maxBytes);
      resolve(error === undefined ? { text } : { text, error });
    });
  });
}
