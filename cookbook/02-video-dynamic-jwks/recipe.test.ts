import { expect, it } from 'vitest';
import { run } from './recipe.js';

it('verifies dynamic video webhooks from the JWKS alone, in JWT (default) and v1a modes, and routes by user_metadata', async () => {
  const lines = await run(() => {});
  expect(lines).toEqual([
    '1. JWKS published (no API key needed): EdDSA, RS256',
    '2. project signing mode: jwt',
    '3. jwt verified video.generated → route "thumbnails": thumbnails job downloaded the video (video/mp4, box "ftyp")',
    '4. project signing mode: v1a',
    '5. v1a verified video.generated → route "archive": archive job stored files/…',
  ]);
}, 30_000);
