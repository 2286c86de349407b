import { expect, it } from 'vitest';
import { run } from './recipe.js';

it('answers a function call from the webhook handler and continues until interaction.completed', async () => {
  const lines = await run(() => {});
  expect(lines).toEqual([
    '1. interaction started: in_progress',
    '2. webhook: interaction.requires_action, model calls get_weather({}) → "18°C and sunny in Paris"',
    '3. continued: new interaction in_progress, previous_interaction_id set: true',
    '4. webhook: interaction.completed (completed), output: Simulated response to…',
    '5. the first interaction stays requires_action; the chain is first → continuation',
  ]);
}, 30_000);
