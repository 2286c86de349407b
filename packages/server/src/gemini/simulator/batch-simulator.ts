import { newFile } from '../../model/new-file.js';
import type { BatchMetadata, BatchResult } from '../kinds.js';
import type { Outcome } from '../../operations/operation-service.js';
import type { OperationRecord } from '../../model/operation-records.js';
import type { FileRepo } from '../../ports/file-repo.js';
import type { ExecutorContext, OutcomeExecutor } from '../../operations/runner/executor-types.js';
import type { SimDeps } from './sim-deps.js';
import { generateContentResponse, hasMarker, textOf } from './sim-text.js';

type Line = { key: string; request: Record<string, unknown>; metadata?: Record<string, unknown> };

/** Reads a JSONL input file: one `{"key": …, "request": {…}}` per line. */
async function readInputFile(
  store: Pick<FileRepo, 'getFileContent'>,
  op: OperationRecord,
  fileName: string,
): Promise<Line[] | Outcome> {
  const bytes = await store.getFileContent(op.projectId, fileName);
  if (!bytes) return { state: 'failed', error: { code: 5, message: `input file ${fileName} no longer exists` } };
  const lines: Line[] = [];
  const text = Buffer.from(bytes).toString('utf8');
  for (const [i, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { state: 'failed', error: { code: 3, message: `input file ${fileName} line ${i + 1} is not valid JSON` } };
    }
    const obj = parsed as { key?: unknown; request?: unknown };
    if (typeof obj.request !== 'object' || obj.request === null)
      return {
        state: 'failed',
        error: { code: 3, message: `input file ${fileName} line ${i + 1} has no "request" object` },
      };
    lines.push({
      key: typeof obj.key === 'string' ? obj.key : String(i + 1),
      request: obj.request as Record<string, unknown>,
    });
  }
  return lines;
}

function answer(line: Line, model: string): Record<string, unknown> {
  if (hasMarker(line.request, '[fail]'))
    return { error: { code: 3, message: 'Simulated request failure: the request contains "[fail]"' } };
  return { response: generateContentResponse(textOf(line.request.contents ?? line.request), model) };
}

/**
 * Simulated `batchGenerateContent`: waits HERALD_SIM_BATCH_MS (÷ time scale), then answers every
 * request. `[fail]` in display_name fails the batch, `[expire]` expires it; `[fail]` in one
 * request fails only that request. Inline input → inline responses; file input → a JSONL
 * output file `files/batch-{id}`, one `{"key", "response"|"error"}` line per request.
 */
export function batchSimulator(deps: SimDeps): OutcomeExecutor {
  return async function simulateBatch(op: OperationRecord, ctx: ExecutorContext): Promise<Outcome> {
    const meta = op.metadata as unknown as BatchMetadata;
    const half = deps.durationMs / deps.timeScale / 2;
    await ctx.sleep(half);
    await ctx.progress(50, 'processing requests');
    await ctx.sleep(half);
    if (hasMarker(meta.displayName, '[fail]'))
      return {
        state: 'failed',
        error: { code: 13, message: 'Simulated batch failure: display_name contains "[fail]"' },
      };
    if (hasMarker(meta.displayName, '[expire]')) return { state: 'expired' };

    let lines: Line[];
    if ('fileName' in meta.input) {
      const read = await readInputFile(deps.store, op, meta.input.fileName);
      if (!Array.isArray(read)) return read;
      lines = read;
    } else {
      lines = meta.input.requests.map((r, i) => ({
        key: typeof r.metadata?.key === 'string' ? r.metadata.key : String(i + 1),
        request: r.request,
        ...(r.metadata ? { metadata: r.metadata } : {}),
      }));
    }
    const answers = lines.map((l) => answer(l, meta.model));
    const failed = answers.filter((a) => 'error' in a).length;
    const stats = {
      requestCount: lines.length,
      successfulRequestCount: lines.length - failed,
      failedRequestCount: failed,
    };
    if (!('fileName' in meta.input)) {
      const inlinedResponses = answers.map((a, i) => ({
        ...a,
        ...(lines[i]!.metadata ? { metadata: lines[i]!.metadata } : {}),
      }));
      return { state: 'succeeded', result: { inlinedResponses, stats } satisfies BatchResult };
    }
    const name = `files/batch-${op.id}`;
    const jsonl = answers.map((a, i) => JSON.stringify({ key: lines[i]!.key, ...a })).join('\n') + '\n';
    const file = newFile({
      name,
      projectId: op.projectId,
      displayName: `${meta.displayName || op.id}-output.jsonl`,
      mimeType: 'application/jsonl',
      content: new TextEncoder().encode(jsonl),
      operation: op.name,
      now: deps.now(),
      timeScale: deps.timeScale,
    });
    return { state: 'succeeded', result: { responsesFile: name, stats } satisfies BatchResult, files: [file] };
  };
}
