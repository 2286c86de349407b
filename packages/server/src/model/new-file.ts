import { createHash } from 'node:crypto';
import type { FileRecord } from './operation-records.js';

/** Files (like Gemini's) are kept 48 hours; the deadline is divided by HERALD_TIME_SCALE. */
export const FILE_TTL_MS = 48 * 3_600_000;

/** A file record and its bytes, ready to commit with the operation that produced it. */
export function newFile(input: {
  name: string;
  projectId: string;
  displayName: string;
  mimeType: string;
  content: Uint8Array;
  operation: string | null;
  now: number;
  timeScale: number;
}): { file: FileRecord; content: Uint8Array } {
  return {
    file: {
      name: input.name,
      projectId: input.projectId,
      displayName: input.displayName,
      mimeType: input.mimeType,
      sizeBytes: input.content.byteLength,
      sha256: createHash('sha256').update(input.content).digest('hex'),
      operation: input.operation,
      createdAt: input.now,
      expireAt: input.now + Math.ceil(FILE_TTL_MS / input.timeScale),
    },
    content: input.content,
  };
}
