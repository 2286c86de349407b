import { invalidArgument } from '../../http/api-error.js';
import type { BatchMetadata } from '../kinds.js';
import { field, isObject, optionalObject, optionalString, type Json } from './fields.js';

export const MAX_INLINE_REQUESTS = 10_000;

/**
 * Parses a `batchGenerateContent` body: `{batch: {display_name, input_config: {requests:
 * {requests: [{request, metadata}]}} | {file_name}, webhookConfig}}`, in snake_case or camelCase.
 * The webhook config may also sit at the top level. Returns the normalized request and the raw
 * webhook config (validated by the caller).
 */
export function parseBatchRequest(model: string, body: Json): { metadata: BatchMetadata; webhookConfig: unknown } {
  const batch = optionalObject(body, 'batch', 'batch');
  if (!batch)
    throw invalidArgument('batch is required: {"batch": {"display_name": "...", "input_config": {...}}}', 'batch');
  const displayName = optionalString(batch, 'display_name', 'batch.display_name', 512) ?? '';
  const input = optionalObject(batch, 'input_config', 'batch.input_config');
  if (!input)
    throw invalidArgument(
      'batch.input_config is required: {"requests": {"requests": [{"request": {...}}]}} or {"file_name": "files/..."}',
      'batch.input_config',
    );
  const fileName = optionalString(input, 'file_name', 'batch.input_config.file_name', 256);
  const wrapper = optionalObject(input, 'requests', 'batch.input_config.requests');
  if ((fileName === undefined) === (wrapper === undefined))
    throw invalidArgument(
      'batch.input_config must have exactly one of "requests" (inline) or "file_name"',
      'batch.input_config',
    );

  let parsedInput: BatchMetadata['input'];
  if (fileName !== undefined) {
    if (!/^files\/[^/]+$/.test(fileName))
      throw invalidArgument(
        `batch.input_config.file_name must look like "files/{id}", got "${fileName.slice(0, 100)}"`,
        'batch.input_config.file_name',
      );
    parsedInput = { fileName };
  } else {
    const list = wrapper!.requests;
    if (!Array.isArray(list) || list.length === 0)
      throw invalidArgument(
        'batch.input_config.requests.requests must be a non-empty array of {"request": {...}}',
        'batch.input_config.requests.requests',
      );
    if (list.length > MAX_INLINE_REQUESTS)
      throw invalidArgument(
        `batch.input_config.requests.requests may hold at most ${MAX_INLINE_REQUESTS} requests`,
        'batch.input_config.requests.requests',
      );
    parsedInput = {
      requests: list.map((item: unknown, i) => {
        const path = `batch.input_config.requests.requests[${i}]`;
        if (!isObject(item) || !isObject(item.request))
          throw invalidArgument(`${path}.request must be an object`, `${path}.request`);
        const meta = item.metadata;
        if (meta !== undefined && meta !== null && !isObject(meta))
          throw invalidArgument(`${path}.metadata must be an object`, `${path}.metadata`);
        return { request: item.request, ...(isObject(meta) ? { metadata: meta } : {}) };
      }),
    };
  }
  const webhookConfig = field(batch, 'webhook_config') ?? field(body, 'webhook_config');
  return { metadata: { model: `models/${model}`, displayName, input: parsedInput }, webhookConfig };
}
