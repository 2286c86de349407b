import { BASE36_LOWER, randomString } from '../../kernel/random-id.js';
import { newFile } from '../../model/new-file.js';
import { downloadUri } from '../../http/present-file.js';
import type { VideoMetadata, VideoResult } from '../kinds.js';
import type { Outcome } from '../../operations/operation-service.js';
import type { OperationRecord } from '../../model/operation-records.js';
import type { ExecutorContext, OutcomeExecutor } from '../../operations/runner/executor-types.js';
import type { SimDeps } from './sim-deps.js';
import { digest, hasMarker, textOf } from './sim-text.js';

/**
 * The bytes of a simulated video: an ISO BMFF `ftyp` box (so tools sniff it as MP4) followed by a
 * `free` box holding a text that names the prompt. Not playable; small and deterministic.
 */
export function simulatedVideoBytes(prompt: string, sample: number): Uint8Array {
  const note = new TextEncoder().encode(`Herald simulated video ${sample + 1} for: ${prompt} (${digest(prompt)})`);
  const ftyp = Buffer.from([0, 0, 0, 24, ...Buffer.from('ftypisom'), 0, 0, 2, 0, ...Buffer.from('isommp41')]);
  const free = Buffer.alloc(8 + note.byteLength);
  free.writeUInt32BE(free.byteLength, 0);
  free.write('free', 4, 'latin1');
  free.set(note, 8);
  return new Uint8Array(Buffer.concat([ftyp, free]));
}

/**
 * Simulated `predictLongRunning` (Veo): waits HERALD_SIM_VIDEO_MS (÷ time scale), then writes
 * `parameters.sampleCount` (1–4, default 1) video files. `[fail]` in the prompt fails the
 * operation; `[filtered]` ends it with no sample and `raiMediaFilteredCount: 1` (no event).
 */
export function videoSimulator(deps: SimDeps): OutcomeExecutor {
  return async function simulateVideo(op: OperationRecord, ctx: ExecutorContext): Promise<Outcome> {
    const meta = op.metadata as unknown as VideoMetadata;
    await ctx.sleep(deps.durationMs / deps.timeScale);
    const prompt = textOf(meta.instances[0]?.prompt ?? meta.instances);
    if (hasMarker(meta.instances, '[fail]'))
      return { state: 'failed', error: { code: 3, message: 'Simulated video failure: the prompt contains "[fail]"' } };
    if (hasMarker(meta.instances, '[filtered]')) {
      const result: VideoResult = {
        samples: [],
        raiMediaFilteredCount: 1,
        raiMediaFilteredReasons: ['Simulated safety filter: the prompt contains "[filtered]"'],
      };
      return { state: 'succeeded', result };
    }
    const requested = Number(meta.parameters.sampleCount ?? meta.parameters.numberOfVideos ?? 1);
    const count = Number.isInteger(requested) ? Math.min(4, Math.max(1, requested)) : 1;
    const files = Array.from({ length: count }, (_, i) =>
      newFile({
        name: `files/${randomString(BASE36_LOWER, 12)}`,
        projectId: op.projectId,
        displayName: `video-${op.id}-${i + 1}.mp4`,
        mimeType: 'video/mp4',
        content: simulatedVideoBytes(prompt, i),
        operation: op.name,
        now: deps.now(),
        timeScale: deps.timeScale,
      }),
    );
    const result: VideoResult = {
      samples: files.map((f) => ({ fileName: f.file.name, uri: downloadUri(deps.publicUrl(), f.file.name) })),
    };
    return { state: 'succeeded', result, files };
  };
}
