import { expect, it } from 'vitest';
import { run } from './recipe.js';

it('drives batches, files, videos and interactions with the unmodified @google/genai client', async () => {
  const lines = await run(() => {});
  expect(lines).toEqual([
    '1. client: new GoogleGenAI({ apiKey, httpOptions: { baseUrl: HERALD_URL } })',
    '2. batches.create → JOB_STATE_PENDING; webhook batch.succeeded; batches.get → JOB_STATE_SUCCEEDED: Simulated response to "Describe a lighthouse" (426b92e9).',
    '3. files.upload → ACTIVE; batch on it → files.download of the output: first key r1',
    '4. generateVideos → webhook video.generated; getVideosOperation → done true; downloaded ftyp box',
    '5. interactions.create → completed, output_text: Simulated response to "Summarize webhooks" (c1aebd79).',
    '6. batches.list → 2 batches, JOB_STATE_SUCCEEDED',
    '7. generateContent → 404 (not served: long-running surfaces only)',
  ]);
}, 30_000);
