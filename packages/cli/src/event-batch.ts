import { UsageError } from './errors.js';

/** One event of `POST /v1beta/events:batchCreate`. */
export interface BatchEventRequest {
  type: string;
  data: Record<string, unknown>;
  idempotency_key?: string;
}

/** Most events the server takes in one batch. */
export const MAX_BATCH = 1000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses NDJSON (one `{"type", "data"?, "idempotency_key"?}` object a line; blank lines and lines
 * starting with `#` are skipped) into batch requests, naming the line of any mistake.
 *
 * @example
 * parseEventLines('{"type":"invoice.ready","data":{"id":"inv_1"}}\n', 'events.ndjson');
 */
export function parseEventLines(text: string, from: string): BatchEventRequest[] {
  const out: BatchEventRequest[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const where = `${from} line ${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(trimmed);
    } catch (err) {
      throw new UsageError(`${where} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    if (!isObject(v) || typeof v.type !== 'string') {
      throw new UsageError(
        `${where}: each line must be an object with a "type", e.g. {"type":"invoice.ready","data":{}}`,
      );
    }
    if (v.data !== undefined && !isObject(v.data)) throw new UsageError(`${where}: "data" must be a JSON object`);
    const key = v.idempotency_key;
    if (key !== undefined && typeof key !== 'string')
      throw new UsageError(`${where}: "idempotency_key" must be a string`);
    out.push({ type: v.type, data: v.data ?? {}, ...(key !== undefined ? { idempotency_key: key } : {}) });
  });
  if (out.length === 0) throw new UsageError(`${from} holds no events: write one JSON object a line`);
  return out;
}

/** Splits requests into batches of at most `size` (each one all or nothing on the server). */
export function chunk<T>(items: readonly T[], size = MAX_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
