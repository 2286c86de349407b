import { expect } from 'vitest';
import type { Receiver } from '../../src/testing/receiver.js';
import type { TestHerald } from '../../src/testing/test-herald.js';

/** Everything one seeded project owns, by the ids its routes take. */
export interface SeededProject {
  id: string;
  name: string;
  key: string;
  /** A string written into every resource's free-text fields: it must never reach another project. */
  marker: string;
  webhook: string;
  event: string;
  delivery: string;
  operation: string;
  batch: string;
  videoModel: string;
  video: string;
  interaction: string;
  file: string;
  apiKey: string;
  listener: string;
}

const VIDEO_MODEL = 'veo-3.1-generate-preview';

async function ok<T>(res: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const r = await res;
  expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body;
}

/** Long-polls an operation-like resource until `done(body)`. */
async function settle(h: TestHerald, key: string, path: string, done: (b: Record<string, unknown>) => boolean) {
  for (;;) {
    const r = await h.api('GET', `${path}?wait=60s`, undefined, { 'x-goog-api-key': key });
    expect(r.status, path).toBe(200);
    if (done(r.body)) return;
  }
}

/**
 * Creates project `id` with the admin key and, with its own key, one of everything a project
 * owns: a webhook (with a delivery and its attempt), an event, an external operation, a Gemini
 * batch, video operation and interaction (settled), an uploaded file, an API key and a listener.
 */
export async function seedProject(h: TestHerald, rx: Receiver, id: string, name: string): Promise<SeededProject> {
  const admin = { 'x-goog-api-key': h.adminKey };
  await ok(h.api('POST', '/v1beta/projects', { id, name }, admin), 'project');
  const { key } = await ok(
    h.api<{ key: string }>('POST', `/v1beta/projects/${id}/apiKeys`, { name: `${id}-main` }, admin),
    'key',
  );
  const as = { 'x-goog-api-key': key };
  const marker = `${id}-marker`;
  const call = <T>(method: string, path: string, body?: unknown) => ok(h.api<T>(method, path, body, as), path);

  const webhook = await call<{ id: string }>('POST', '/v1beta/webhooks', {
    name: marker,
    uri: rx.url,
    subscribed_events: ['job.done'],
  });
  const event = await call<{ id: string }>('POST', '/v1beta/events', { type: 'job.done', data: { marker } });
  const listed = await call<{ deliveries: { id: string }[] }>('GET', '/v1beta/deliveries');
  expect(listed.deliveries).toHaveLength(1);
  const operation = await call<{ name: string }>('POST', '/v1beta/operations', {
    kind: 'external',
    metadata: { marker },
  });
  const batch = await call<{ name: string }>('POST', '/v1beta/models/gemini-2.5-flash:batchGenerateContent', {
    batch: {
      display_name: marker,
      input_config: { requests: { requests: [{ request: { contents: [{ parts: [{ text: marker }] }] } }] } },
    },
  });
  const video = await call<{ name: string }>('POST', `/v1beta/models/${VIDEO_MODEL}:predictLongRunning`, {
    instances: [{ prompt: marker }],
  });
  const interaction = await call<{ id: string }>('POST', '/v1beta/interactions', {
    model: 'gemini-3-flash-preview',
    input: marker,
    background: true,
  });
  const upload = await fetch(`${h.url}/upload/v1beta/files?display_name=${marker}`, {
    method: 'POST',
    headers: { ...as, 'content-type': 'text/plain' },
    body: `${marker} file`,
  });
  expect(upload.status).toBe(200);
  const file = ((await upload.json()) as { file: { name: string } }).file.name;
  const apiKey = await call<{ id: string }>('POST', '/v1beta/apiKeys', { name: marker });
  const listener = await call<{ id: string }>('POST', '/v1beta/listeners', { subscribed_events: ['never.sent'] });

  await settle(h, key, `/v1beta/${batch.name}`, (b) => b.done === true);
  await settle(h, key, `/v1beta/${video.name}`, (b) => b.done === true);
  await settle(h, key, `/v1beta/interactions/${interaction.id}`, (b) => b.status !== 'in_progress');
  return {
    id,
    name,
    key,
    marker,
    webhook: webhook.id,
    event: event.id,
    delivery: listed.deliveries[0]!.id,
    operation: operation.name.slice('operations/'.length),
    batch: batch.name.slice('batches/'.length),
    videoModel: VIDEO_MODEL,
    video: video.name.slice(video.name.lastIndexOf('/') + 1),
    interaction: interaction.id,
    file: file.slice('files/'.length),
    apiKey: apiKey.id,
    listener: listener.id,
  };
}

/** The strings of `p` that must never appear in another project's answers. */
export function secretsOf(p: SeededProject): string[] {
  return [
    p.name,
    p.marker,
    p.key,
    p.webhook,
    p.event,
    p.delivery,
    p.operation,
    p.batch,
    p.video,
    p.interaction,
    p.file,
    p.apiKey,
    p.listener,
  ];
}
