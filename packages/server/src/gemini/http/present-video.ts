import type { VideoOperation } from '@herald/contracts';
import type { VideoResult } from '../kinds.js';
import { isFinal } from '../../operations/states.js';
import type { OperationRecord } from '../../model/operation-records.js';

const RESPONSE_TYPE = 'type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse';

/**
 * A video operation as `GET /models/{model}/operations/{id}` returns it: `{name}` while running;
 * then `done: true` with `response.generateVideoResponse.generatedSamples[].video.uri`, or an
 * `error` (cancelled → code 1, as Google's LROs report it).
 */
export function presentVideoOperation(op: OperationRecord): VideoOperation {
  if (!isFinal(op.state)) return { name: op.name };
  if (op.state === 'succeeded') {
    const r = op.result as VideoResult;
    return {
      name: op.name,
      done: true,
      response: {
        '@type': RESPONSE_TYPE,
        generateVideoResponse: {
          generatedSamples: r.samples.map((s) => ({ video: { uri: s.uri } })),
          ...(r.raiMediaFilteredCount !== undefined ? { raiMediaFilteredCount: r.raiMediaFilteredCount } : {}),
          ...(r.raiMediaFilteredReasons ? { raiMediaFilteredReasons: r.raiMediaFilteredReasons } : {}),
        },
      },
    };
  }
  const error =
    op.state === 'cancelled'
      ? { code: 1, message: 'The operation was cancelled.' }
      : op.state === 'expired'
        ? { code: 4, message: 'The operation expired.' }
        : (op.error ?? { code: 13, message: 'The operation failed.' });
  return { name: op.name, done: true, error };
}
