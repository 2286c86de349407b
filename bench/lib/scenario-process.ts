/**
 * Runs one scenario in this fresh process and sends its result back over IPC (see
 * `scenarios/index.ts`, OWN_PROCESS). Logs go straight to the inherited stderr.
 */
import { limitHeapGrowth, loadConfig } from '@herald/server';
import { RUNNERS } from '../scenarios/index.js';
import { Receivers } from './receivers.js';
import type { ScenarioReply, ScenarioRequest } from './scenario-protocol.js';
import { SIZES } from './sizes.js';

// This process hosts Herald as `herald serve` would (scenario 3 measures its memory).
limitHeapGrowth(loadConfig({}).heapGrowthPercent);

process.on('message', (msg: ScenarioRequest) => {
  RUNNERS[msg.name]({
    mode: msg.mode,
    sizes: SIZES[msg.mode],
    log: msg.quiet ? () => undefined : (line) => console.error(line),
    earlier: msg.earlier,
    quiet: msg.quiet,
  })
    .finally(() => Receivers.shutdown())
    .then(
      (result) => process.send?.({ id: msg.id, ok: true, result } satisfies ScenarioReply),
      (err: unknown) =>
        process.send?.({
          id: msg.id,
          ok: false,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        }),
    );
});
process.on('disconnect', () => process.exit(0));
