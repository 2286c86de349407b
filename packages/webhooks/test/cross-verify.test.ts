/**
 * Cross-verification with the public libraries: standardwebhooks@1.1.1 (root devDependency) and
 * svix@1.99.1 (the last svix that runs on Node 20; it wraps standardwebhooks@1.0.0).
 */
import { describe, expect, it } from 'vitest';
import { Webhook as StandardWebhook, WebhookVerificationError as StandardError } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { Webhook, WebhookVerificationError } from '@herald/webhooks';
import { SW1, SW2 } from '../src/testing/vectors.js';

const secrets = [SW1.secret, SW2.secret, 'whsec_' + Buffer.alloc(32, 0xab).toString('base64')];
const bodies = [
  SW1.body,
  '',
  '{"name":"Zoë ✓"}',
  '{"type":"batch.succeeded","version":"v1","timestamp":"2026-05-04T12:00:00Z","data":{"id":"batches/b1"}}',
];

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const headers = (id: string, ts: number, signature: string) => ({
  'webhook-id': id,
  'webhook-timestamp': String(ts),
  'webhook-signature': signature,
});

describe('cross-verification with standardwebhooks and svix, both ways', () => {
  for (const secret of secrets) {
    for (const body of bodies) {
      it(`ours → theirs and theirs → ours (${secret.slice(0, 12)}…, ${JSON.stringify(body).slice(0, 24)})`, () => {
        const ts = nowSeconds();
        const ours = new Webhook(secret);
        const theirs = new StandardWebhook(secret);
        const svix = new SvixWebhook(secret);
        const expected = body === '' ? undefined : JSON.parse(body);

        const ourSignature = ours.sign('msg_cross', new Date(ts * 1000), body);
        const theirSignature = theirs.sign('msg_cross', new Date(ts * 1000), body);
        expect(ourSignature).toBe(theirSignature);

        expect(theirs.verify(body, headers('msg_cross', ts, ourSignature))).toEqual(expected);
        expect(theirs.verify(Buffer.from(body), headers('msg_cross', ts, ourSignature))).toEqual(expected);
        expect(ours.verify(body, headers('msg_cross', ts, theirSignature))).toEqual(expected);
        expect(ours.verify(Buffer.from(body), headers('msg_cross', ts, theirSignature))).toEqual(expected);

        // svix → ours, with svix-* headers too.
        const svixSignature = svix.sign('msg_cross', new Date(ts * 1000), body);
        expect(svixSignature).toBe(ourSignature);
        expect(ours.verify(body, headers('msg_cross', ts, svixSignature))).toEqual(expected);
        expect(
          ours.verify(Buffer.from(body), {
            'svix-id': 'msg_cross',
            'svix-timestamp': String(ts),
            'svix-signature': svixSignature,
          }),
        ).toEqual(expected);
        if (body !== '') {
          // svix 1.x throws on an empty body (JSON.parse("")).
          expect(svix.verify(body, headers('msg_cross', ts, ourSignature))).toEqual(expected);
          expect(
            svix.verify(body, { 'svix-id': 'msg_cross', 'svix-timestamp': String(ts), 'svix-signature': ourSignature }),
          ).toEqual(expected);
        }
      });
    }
  }

  it('a rotation header from us (two v1 entries) is accepted by standardwebhooks with either secret', () => {
    const ts = nowSeconds();
    const rotation = new Webhook([SW2.secret, SW1.secret]).sign('msg_rot', ts, SW1.body);
    for (const secret of [SW1.secret, SW2.secret]) {
      expect(new StandardWebhook(secret).verify(SW1.body, headers('msg_rot', ts, rotation))).toEqual({
        test: 2432232314,
      });
    }
  });

  it('both reject the same tampered deliveries, with the same error name and message', () => {
    const ts = nowSeconds();
    const ours = new Webhook(SW1.secret);
    const theirs = new StandardWebhook(SW1.secret);
    const signature = ours.sign('msg_t', ts, SW1.body);
    const cases = [
      { body: SW1.body.replace('2', '3'), headers: headers('msg_t', ts, signature) },
      { body: SW1.body, headers: headers('msg_other', ts, signature) },
      { body: SW1.body, headers: headers('msg_t', ts - 1000, signature) },
      { body: SW1.body, headers: { 'webhook-id': 'msg_t', 'webhook-timestamp': String(ts) } },
    ];
    for (const c of cases) {
      let theirError: unknown;
      let ourError: unknown;
      try {
        theirs.verify(c.body, c.headers);
      } catch (error) {
        theirError = error;
      }
      try {
        ours.verify(c.body, c.headers);
      } catch (error) {
        ourError = error;
      }
      expect(theirError).toBeInstanceOf(StandardError);
      expect(ourError).toBeInstanceOf(WebhookVerificationError);
      expect((ourError as Error).name).toBe((theirError as Error).name);
      expect((ourError as Error).message).toBe((theirError as Error).message);
    }
  });
});
