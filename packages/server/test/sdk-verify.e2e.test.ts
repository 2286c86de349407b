import { Webhook, WebhookVerificationError } from '@herald/webhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

let h: TestHerald;
let rx: Receiver;
beforeAll(async () => {
  rx = await startReceiver();
  h = await startTestHerald();
});
afterAll(async () => {
  await rx.close();
  await h.close();
});

it('static deliveries verify through @herald/webhooks, before and after a rotation', async () => {
  const wh = await h.api<{ id: string; new_signing_secret: string }>('POST', '/v1beta/webhooks', {
    uri: rx.url,
    subscribed_events: ['job.done'],
  });
  await h.api('POST', '/v1beta/events', { type: 'job.done', data: { id: 'j1' } });
  const [first] = await rx.waitFor(1);
  const delivery = new Webhook(wh.body.new_signing_secret).verifyDelivery(first!.body, first!.headers);
  expect(delivery.id).toBe(first!.headers['webhook-id']);
  expect(delivery.event).toMatchObject({ type: 'job.done', data: { id: 'j1' } });

  const rot = await h.api<{ secret: string }>('POST', `/v1beta/webhooks/${wh.body.id}:rotateSigningSecret`, {});
  await h.api('POST', '/v1beta/events', { type: 'job.done', data: { id: 'j2' } });
  const second = (await rx.waitFor(2))[1]!;
  for (const s of [rot.body.secret, wh.body.new_signing_secret, [rot.body.secret, wh.body.new_signing_secret]]) {
    expect(new Webhook(s).verify(second.body, second.headers)).toMatchObject({ data: { id: 'j2' } });
  }
  const tampered = second.body.replace('j2', 'j3');
  expect(() => new Webhook(rot.body.secret).verify(tampered, second.headers)).toThrow(WebhookVerificationError);
});
