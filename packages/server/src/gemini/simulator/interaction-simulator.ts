import type { InteractionMetadata, InteractionResult } from '../kinds.js';
import type { Outcome } from '../../operations/operation-service.js';
import type { OperationRecord } from '../../model/operation-records.js';
import type { ExecutorContext, OutcomeExecutor } from '../../operations/runner/executor-types.js';
import type { SimDeps } from './sim-deps.js';
import { digest, hasMarker, simulatedReply, textOf } from './sim-text.js';

const isFunctionTool = (t: Record<string, unknown>) => t.type === 'function' && typeof t.name === 'string';

/**
 * Simulated interactions: wait HERALD_SIM_INTERACTION_MS (÷ time scale), then
 * - `[fail]` in the input → `failed`;
 * - a `function` tool declared and no `function_result` in the input, or `[requires_action]`
 *   in the input → `requires_action` with one `function_call` step (the first function tool,
 *   or `herald_action`, with a `signature`); continue with `previous_interaction_id` and a
 *   `function_result` input;
 * - otherwise `completed` with one `model_output` text step.
 */
export function interactionSimulator(deps: SimDeps): OutcomeExecutor {
  return async function simulateInteraction(op: OperationRecord, ctx: ExecutorContext): Promise<Outcome> {
    const meta = op.metadata as unknown as InteractionMetadata;
    await ctx.sleep(deps.durationMs / deps.timeScale);
    if (hasMarker(meta.input, '[fail]'))
      return {
        state: 'failed',
        error: { code: 13, message: 'Simulated interaction failure: the input contains "[fail]"' },
      };
    const answered = (JSON.stringify(meta.input) ?? '').includes('"function_result"');
    const tool = meta.tools?.find(isFunctionTool);
    if (!answered && (tool !== undefined || hasMarker(meta.input, '[requires_action]'))) {
      const name = typeof tool?.name === 'string' ? tool.name : 'herald_action';
      const result: InteractionResult = {
        steps: [
          {
            type: 'function_call',
            id: `call_${digest(`${op.id}:${name}`, 16)}`,
            name,
            arguments: {},
            // The live API signs function-call steps (an opaque base64 thought signature) so the
            // client can hand them back with the function result; simulated, stable per call.
            signature: Buffer.from(digest(`signature:${op.id}:${name}`, 64), 'hex').toString('base64'),
          },
        ],
      };
      return { state: 'requires_action', result };
    }
    const reply = simulatedReply(textOf(meta.input));
    const result: InteractionResult = {
      steps: [{ type: 'model_output', content: [{ type: 'text', text: reply.text }] }],
      usage: {
        total_input_tokens: reply.promptTokens,
        total_output_tokens: reply.outputTokens,
        total_tokens: reply.promptTokens + reply.outputTokens,
      },
    };
    return { state: 'succeeded', result };
  };
}
