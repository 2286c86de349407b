import { expect, it } from 'vitest';
import { run } from './recipe.js';

it('retries during an outage, replays what was missed, and never processes an event twice', async () => {
  const lines = await run(() => {});
  expect(lines[3]).toMatch(/^4\. a failed delivery: [5-8] attempts over 24 h, all answered 503$/);
  expect(lines.filter((_, i) => i !== 3)).toEqual([
    '1. receiver up: processed A-1',
    '2. receiver down; webhook disabled: no successful delivery for 24 hours and a delivery exhausted its retries',
    '3. A-4 paid while disabled: 3 deliveries in all (A-1..A-3), 2 failed or cancelled',
    '5. replay: 3 replayed (2 attempted again, 1 never sent)',
    '6. processed: A-1×1 A-2×1 A-3×1 A-4×1',
    '7. replay all: 4 redelivered, 4 acknowledged as duplicates',
    '8. processed: A-1×1 A-2×1 A-3×1 A-4×1',
  ]);
}, 30_000);
