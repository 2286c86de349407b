import { expect, it } from 'vitest';
import { run } from './recipe.js';

it('creates a project per customer, delivers to that customer only, and embeds its portal', async () => {
  const lines = await run(() => {});
  expect(lines).toEqual([
    '1. Acme Corp signed up: 201, project "acme" created',
    '1. Globex signed up: 201, project "globex" created',
    '2. each customer has its own endpoint and signing secret',
    "3. Acme's endpoint got job.completed for render-42, verified with Acme's secret",
    "4. Globex received 0 deliveries; Globex's secret does not verify Acme's",
    '5. the settings page embeds <herald>/portal/enter?token=hp_…',
    `6. the link opens Acme's portal (303 → 200, shows "Acme Corp": true, shows "Globex": false, frame-ancestors <your app>)`,
    '7. the same link again: 404 (one-time)',
  ]);
}, 60_000);
