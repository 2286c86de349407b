import { GoogleGenAI } from '@google/genai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/testing/manual-clock.js';
import { eventsOf } from '../src/testing/operation-helpers.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';
import { countCalls } from './support/count-calls.js';

/**
 * The real `@google/genai` client, unmodified, pointed at Herald with `httpOptions.baseUrl` and
 * the default project's key.
 */
let herald: TestHerald | undefined;
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
  await herald?.close();
  herald = undefined;
});
async function receiver() {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}
const calls = countCalls();
afterAll(() => {
  calls.restore();
  console.info(`genai-sdk: ${calls.count} HTTP calls to Herald through @google/genai`);
});
const client = (h: TestHerald) => {
  calls.track(h.url);
  return new GoogleGenAI({ apiKey: h.apiKey, httpOptions: { baseUrl: h.url } });
};

/** Waits (long-poll, no sleeping) until the operation `name` is done. */
async function untilDone(h: TestHerald, name: string): Promise<void> {
  for (;;) {
    const r = await h.api<{ done?: boolean; state?: string; status?: string }>('GET', `/v1beta/${name}?wait=60s`);
    if (r.body.done === true || (r.body.status !== undefined && r.body.status !== 'in_progress')) return;
  }
}

describe('@google/genai against Herald', () => {
  it('webhooks: create, list, get, update, ping, rotateSigningSecret, delete', async () => {
    const rx = await receiver();
    herald = await startTestHerald();
    const ai = client(herald);
    const wh = await ai.webhooks.create({
      name: 'sdk',
      uri: rx.url,
      subscribed_events: ['batch.succeeded', 'batch.failed'],
    });
    expect(wh).toMatchObject({ name: 'sdk', uri: rx.url, state: 'enabled' });
    expect(wh.new_signing_secret).toMatch(/^whsec_/);
    const id = wh.id!;
    expect((await ai.webhooks.list()).webhooks?.map((w) => w.id)).toEqual([id]);
    expect(await ai.webhooks.get(id)).toMatchObject({ id, subscribed_events: ['batch.succeeded', 'batch.failed'] });
    expect(await ai.webhooks.update(id, { name: 'renamed', update_mask: 'name' })).toMatchObject({ name: 'renamed' });

    await ai.webhooks.ping(id);
    const [ping] = await rx.waitFor(1);
    const verified = new StandardWebhook(wh.new_signing_secret!).verify(
      ping!.body,
      ping!.headers as Record<string, string>,
    );
    expect(verified).toMatchObject({ type: 'webhook.ping', data: { id } });

    const rotated = await ai.webhooks.rotateSigningSecret(id, {
      revocation_behavior: 'revoke_previous_secrets_immediately',
    });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect((await ai.webhooks.get(id)).signing_secrets).toHaveLength(1);
    await ai.webhooks.delete(id);
    expect((await ai.webhooks.list()).webhooks ?? []).toEqual([]);
  });

  it('batches.create with config.webhookConfig, batches.get (JOB_STATE_*), list; batch.succeeded to the URI', async () => {
    const dyn = await receiver();
    herald = await startTestHerald({ config: { timeScale: 1000 } });
    const ai = client(herald);
    const job = await ai.batches.create({
      model: 'gemini-2.5-flash',
      src: [{ contents: [{ role: 'user', parts: [{ text: 'hello' }] }], metadata: { key: 'k1' } }],
      config: { displayName: 'sdk-batch', webhookConfig: { uris: [dyn.url], userMetadata: { run: 'sdk' } } },
    });
    expect(job).toMatchObject({
      displayName: 'sdk-batch',
      state: 'JOB_STATE_PENDING',
      model: 'models/gemini-2.5-flash',
    });
    await untilDone(herald, job.name!);
    const done = await ai.batches.get({ name: job.name! });
    expect(done.state).toBe('JOB_STATE_SUCCEEDED');
    expect(done.dest?.inlinedResponses?.[0]?.response?.candidates?.[0]?.content?.parts?.[0]?.text).toMatch(
      /^Simulated response to "hello"/,
    );
    const listed: string[] = [];
    for await (const b of await ai.batches.list()) listed.push(b.name!);
    expect(listed).toEqual([job.name]);

    const [req] = await dyn.waitFor(1);
    expect(req!.headers['webhook-id']).toMatch(/^msg_/);
    expect(req!.headers['webhook-timestamp']).toMatch(/^\d+$/);
    expect(eventsOf([req!])[0]).toMatchObject({
      type: 'batch.succeeded',
      data: { id: job.name, user_metadata: { run: 'sdk' } },
    });
  });

  it('batches.cancel → JOB_STATE_CANCELLED', async () => {
    herald = await startTestHerald({ clock: new ManualClock() }); // the simulated batch never finishes
    const ai = client(herald);
    const job = await ai.batches.create({
      model: 'gemini-2.5-flash',
      src: [{ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }],
      config: { displayName: 'to-cancel' },
    });
    await ai.batches.cancel({ name: job.name! });
    expect((await ai.batches.get({ name: job.name! })).state).toBe('JOB_STATE_CANCELLED');
    await ai.batches.delete({ name: job.name! });
  });

  it('files.upload → batches.create from the file → files.download of files/batch-{id}', async () => {
    herald = await startTestHerald({ config: { timeScale: 1000 } });
    const ai = client(herald);
    const jsonl = ['a', 'b'].map((k) => JSON.stringify({ key: k, request: { contents: [{ parts: [{ text: k }] }] } }));
    const input = await ai.files.upload({
      file: new Blob([jsonl.join('\n')], { type: 'application/jsonl' }),
      config: { displayName: 'input.jsonl', mimeType: 'application/jsonl' },
    });
    expect(input.name).toMatch(/^files\/[0-9a-z]+$/);
    const job = await ai.batches.create({ model: 'gemini-2.5-flash', src: input.name!, config: { displayName: 'f' } });
    await untilDone(herald, job.name!);
    const done = await ai.batches.get({ name: job.name! });
    expect(done.dest?.fileName).toBe(`files/batch-${job.name!.slice('batches/'.length)}`);
    const dir = mkdtempSync(join(tmpdir(), 'herald-dl-'));
    try {
      const path = join(dir, 'out.jsonl');
      await ai.files.download({ file: done.dest!.fileName!, downloadPath: path });
      const keys = readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { key: string }).key);
      expect(keys).toEqual(['a', 'b']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('interactions.create with background: true and webhook_config; get; interaction.completed to the URI', async () => {
    const dyn = await receiver();
    herald = await startTestHerald({ config: { timeScale: 1000 } });
    const ai = client(herald);
    const created = await ai.interactions.create({
      model: 'gemini-3-flash-preview',
      input: 'Summarize webhooks in one line',
      background: true,
      webhook_config: { uris: [dyn.url], user_metadata: { job_group: 'nightly-eval' } },
    });
    expect(created.status).toBe('in_progress');
    await untilDone(herald, `interactions/${created.id}`);
    const done = await ai.interactions.get(created.id);
    expect(done.status).toBe('completed');
    expect(done.output_text).toMatch(/^Simulated response to "Summarize webhooks in one line"/);
    const [req] = await dyn.waitFor(1);
    expect(eventsOf([req!])[0]).toMatchObject({
      type: 'interaction.completed',
      data: { id: created.id, user_metadata: { job_group: 'nightly-eval' } },
    });
    await ai.interactions.delete(created.id);
  });

  it('models.generateVideos and operations.getVideosOperation', async (ctx) => {
    herald = await startTestHerald({ config: { timeScale: 1000 } });
    const ai = client(herald);
    const op = await ai.models
      .generateVideos({ model: 'veo-3.1-generate-preview', prompt: 'a lighthouse at dusk' })
      .catch((e: unknown) => {
        // @google/genai 3.x (scripts/genai3-suites.mjs) runs these against Vertex AI only, and throws
        // before sending anything; genai-fidelity covers video over REST for every version.
        if (/only supported by the Gemini Enterprise Agent Platform/.test(String(e)))
          ctx.skip('@google/genai 3.x: generateVideos is Vertex-only; see docs/gemini-compat.md');
        throw e;
      });
    expect(op.name).toMatch(/^models\/veo-3\.1-generate-preview\/operations\//);
    await untilDone(herald, op.name!);
    const done = await ai.operations.getVideosOperation({ operation: op });
    expect(done.done).toBe(true);
    expect(done.response?.generatedVideos?.[0]?.video?.uri).toMatch(/\/v1beta\/files\/[0-9a-z]+:download\?alt=media$/);
  });
});
