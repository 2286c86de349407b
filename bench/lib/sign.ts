import { createHmac, randomBytes } from 'node:crypto';

/** A Standard Webhooks secret (`whsec_` + base64 of 32 random bytes), for the baselines. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Decodes a `whsec_` secret to its HMAC key. */
export function secretKey(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}

/** Standard Webhooks `v1` signature of one message, as the baselines send it. */
export function signV1(key: Buffer, msgId: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${msgId}.${timestamp}.${body}`).digest('base64')}`;
}

/** Headers of a signed POST, as Herald sends them (the baselines sign afresh on every attempt too). */
export function signedHeaders(key: Buffer, msgId: string, body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': msgId,
    'webhook-timestamp': String(ts),
    'webhook-signature': signV1(key, msgId, ts, body),
  };
}
