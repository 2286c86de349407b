/** Inputs shared by every Standard Webhooks signature scheme. */
export interface SignedContentInput {
  /** `webhook-id`: stable across retries; must not contain `.`. */
  msgId: string;
  /** `webhook-timestamp`: integer Unix seconds of this attempt. */
  timestamp: number;
  /** The exact body bytes that are sent (strings are encoded as UTF-8). */
  body: string | Uint8Array;
}

/**
 * Builds the Standard Webhooks signed content `${msgId}.${timestamp}.${body}` as bytes.
 *
 * @throws RangeError when `msgId` is empty or contains `.`, or `timestamp` is not a non-negative integer.
 */
export function signedContent({ msgId, timestamp, body }: SignedContentInput): Buffer {
  if (msgId === '' || msgId.includes('.')) {
    throw new RangeError('webhook-id must be non-empty and must not contain "."');
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`webhook-timestamp must be integer Unix seconds, got ${timestamp}`);
  }
  const prefix = Buffer.from(`${msgId}.${timestamp}.`, 'utf8');
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([prefix, bytes]);
}
