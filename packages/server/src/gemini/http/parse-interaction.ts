import { invalidArgument } from '../../http/api-error.js';
import type { InteractionMetadata } from '../kinds.js';
import { field, isObject, optionalString, type Json } from './fields.js';

/**
 * Parses `POST /interactions`: `model` or `agent`, `input`, `background`, `tools`,
 * `previous_interaction_id`, `webhook_config`. `background: true` is required with a
 * `webhook_config` (and needs `store` left true); streaming is not simulated.
 */
export function parseInteractionRequest(body: Json): { metadata: InteractionMetadata; webhookConfig: unknown } {
  const model = optionalString(body, 'model', 'model', 256);
  const agent = optionalString(body, 'agent', 'agent', 256);
  if (model === undefined && agent === undefined)
    throw invalidArgument('model (e.g. "gemini-2.5-flash") or agent is required', 'model');
  const input = body.input;
  if (input === undefined || input === null || input === '')
    throw invalidArgument('input is required: a string, or a list of content or steps', 'input');
  const background = body.background;
  if (background !== undefined && typeof background !== 'boolean')
    throw invalidArgument('background must be a boolean', 'background');
  if (body.stream === true)
    throw invalidArgument(
      'stream: true is not supported by Herald; use background: true and poll, long-poll or webhooks',
      'stream',
    );
  const webhookConfig = field(body, 'webhook_config');
  if (webhookConfig !== undefined && webhookConfig !== null && background !== true)
    throw invalidArgument('background: true is required when webhook_config is set', 'background');
  if (background === true && body.store === false)
    throw invalidArgument('background: true requires store to be true (the default)', 'store');
  const tools = body.tools;
  if (tools !== undefined && (!Array.isArray(tools) || !tools.every(isObject)))
    throw invalidArgument(
      'tools must be a list of tool objects, e.g. [{"type": "function", "name": "get_weather"}]',
      'tools',
    );
  const previous = optionalString(body, 'previous_interaction_id', 'previous_interaction_id', 256);
  const system = optionalString(body, 'system_instruction', 'system_instruction', 64 * 1024);
  return {
    metadata: {
      ...(model !== undefined ? { model } : {}),
      ...(agent !== undefined ? { agent } : {}),
      input,
      ...(tools ? { tools: tools } : {}),
      ...(previous !== undefined ? { previous_interaction_id: previous } : {}),
      ...(system !== undefined ? { system_instruction: system } : {}),
      background: background === true,
    },
    webhookConfig,
  };
}
