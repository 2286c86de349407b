/**
 * The real @google/genai client against Herald: run with
 *   npx tsx --conditions=@herald/source cookbook/08-genai-client/recipe.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApiError, GoogleGenAI } from '@google/genai';
import { createHerald } from '@herald/server';
import { createWebhookReceiver, WebhookVerifier, type WebhookEvent } from '@herald/webhooks';
import { toNodeHandler } from '@herald/webhooks/node';

/** Runs the recipe; returns one line per step (also printed). */
export async function run(log: (line: string) => void = console.log): Promise<string[]> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    log(l);
  };

  const dataDir = mkdtempSync(join(tmpdir(), 'herald-recipe-'));
  const herald = await createHerald({ config: { port: 0, dataDir, logLevel: 'silent', timeScale: 50 } });
  const heraldUrl = await herald.listen();

  // The only change to a Gemini app: the base URL (and a Herald API key).
  const ai = new GoogleGenAI({ apiKey: herald.apiKey, httpOptions: { baseUrl: heraldUrl } });

  // A receiver for the per-request webhooks (webhookConfig), verified from Herald's JWKS: an RS256
  // JWT by default, whose audience is the receiver's own URL (known once it listens).
  // Events are matched to the job by data.id (the resource name), whichever comes first.
  const waiters = new Map<string, (e: WebhookEvent) => void>();
  const arrived = new Map<string, WebhookEvent>();
  let handle: Parameters<typeof createServer>[1] = (_req, res) => void res.writeHead(503).end();
  const server = createServer((req, res) => handle!(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  const receiver = createWebhookReceiver({
    verifier: new WebhookVerifier({ jwks: `${heraldUrl}/.well-known/jwks.json`, jwt: { audience: hook } }),
    fallback: (event) => {
      const e = event as WebhookEvent;
      const id = (e.data as { id: string }).id;
      const waiter = waiters.get(id);
      if (waiter) waiter(e);
      else arrived.set(id, e);
    },
  });
  handle = toNodeHandler(receiver);
  const eventFor = (id: string) =>
    new Promise<WebhookEvent>((r) => (arrived.has(id) ? r(arrived.get(id)!) : waiters.set(id, r)));

  try {
    say('1. client: new GoogleGenAI({ apiKey, httpOptions: { baseUrl: HERALD_URL } })');

    // Batches with inline requests, and a dynamic webhook in the SDK's own config field.
    const job = await ai.batches.create({
      model: 'gemini-2.5-flash',
      src: [{ contents: [{ role: 'user', parts: [{ text: 'Describe a lighthouse' }] }] }],
      config: { displayName: 'nightly', webhookConfig: { uris: [hook], userMetadata: { run: 42 } } },
    });
    const succeeded = await eventFor(job.name!);
    const done = await ai.batches.get({ name: job.name! });
    const text = done.dest?.inlinedResponses?.[0]?.response?.candidates?.[0]?.content?.parts?.[0]?.text ?? '';
    say(`2. batches.create → ${job.state}; webhook ${succeeded.type}; batches.get → ${done.state}: ${text}`);

    // Files: upload a JSONL input (resumable protocol), batch it, download the output file.
    const input = join(dataDir, 'input.jsonl');
    writeFileSync(
      input,
      `${JSON.stringify({ key: 'r1', request: { contents: [{ parts: [{ text: 'Describe a harbour' }] }] } })}\n`,
    );
    const file = await ai.files.upload({ file: input, config: { mimeType: 'application/jsonl' } });
    const fileJob = await ai.batches.create({
      model: 'gemini-2.5-flash',
      src: file.name!,
      config: { webhookConfig: { uris: [hook] } },
    });
    await eventFor(fileJob.name!);
    const out = join(dataDir, 'out.jsonl');
    await ai.files.download({ file: `files/batch-${fileJob.name!.split('/')[1]}`, downloadPath: out });
    const first = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!) as { key: string };
    say(`3. files.upload → ${file.state}; batch on it → files.download of the output: first key ${first.key}`);

    // Video: generateVideos + getVideosOperation; the webhook says when to look.
    let op = await ai.models.generateVideos({
      model: 'veo-3.1-generate-preview',
      source: { prompt: 'a lighthouse at dusk' },
      config: { webhookConfig: { uris: [hook] } },
    });
    const video = await eventFor(op.name!);
    op = await ai.operations.getVideosOperation({ operation: op });
    const uri = op.response?.generatedVideos?.[0]?.video?.uri ?? '';
    // Difference: over http:// the SDK cannot extract the file id from the URI; pass 'files/{id}'.
    const fileId = /files\/([^:/]+):download/.exec(uri)![1]!;
    const mp4 = join(dataDir, 'video.mp4');
    await ai.files.download({ file: `files/${fileId}`, downloadPath: mp4 });
    say(
      `4. generateVideos → webhook ${video.type}; getVideosOperation → done ${op.done}; downloaded ${readFileSync(mp4).subarray(4, 8).toString()} box`,
    );

    // Interactions: without background, create answers when the interaction is done.
    const interaction = await ai.interactions.create({ model: 'gemini-3-flash-preview', input: 'Summarize webhooks' });
    say(`5. interactions.create → ${interaction.status}, output_text: ${interaction.output_text ?? '(none)'}`);

    const states: string[] = [];
    for await (const b of await ai.batches.list({ config: { pageSize: 10 } })) states.push(String(b.state));
    say(`6. batches.list → ${states.length} batches, ${[...new Set(states)].join(', ')}`);

    // Differences: only the long-running surfaces are served.
    try {
      await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
      say('7. generateContent answered');
    } catch (err) {
      say(
        `7. generateContent → ${err instanceof ApiError ? err.status : String(err)} (not served: long-running surfaces only)`,
      );
    }
    return lines;
  } finally {
    await herald.close();
    await new Promise((r) => server.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
