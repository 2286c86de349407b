import { describe, expect, it } from 'vitest';
import { UploadSessions } from './upload-sessions.js';

const MiB = 1024 * 1024;
const input = (projectId: string) => ({ projectId, displayName: 'f', mimeType: 'text/plain', size: undefined });

describe('UploadSessions', () => {
  it('bounds the bytes one project holds in unfinished uploads, and leaves other projects their share', () => {
    const sessions = new UploadSessions({ maxBytesPerProject: 32 * MiB, maxBytes: 48 * MiB });
    const a = [1, 2, 3].map(() => sessions.start(input('a'), 0));
    expect(sessions.append(a[0]!, Buffer.alloc(15 * MiB))).toBeUndefined();
    expect(sessions.append(a[1]!, Buffer.alloc(15 * MiB))).toBeUndefined();
    expect(sessions.append(a[2]!, Buffer.alloc(15 * MiB))).toMatch(
      /unfinished uploads of this project already hold 31457280 bytes \(at most 33554432\)/,
    );
    expect(sessions.heldBytes()).toBe(30 * MiB);
    const b = sessions.start(input('b'), 0);
    expect(sessions.append(b, Buffer.alloc(15 * MiB))).toBeUndefined();
    const c = sessions.start(input('c'), 0);
    expect(sessions.append(c, Buffer.alloc(15 * MiB))).toMatch(/unfinished uploads hold 47185920 bytes/);
    // Finishing (or abandoning) frees the budget.
    sessions.end(a[0]!.id);
    expect(sessions.append(c, Buffer.alloc(15 * MiB))).toBeUndefined();
  });

  it("bounds the number of unfinished uploads per project, without evicting another project's", () => {
    const sessions = new UploadSessions({ maxSessionsPerProject: 2, max: 4 });
    expect(sessions.start(input('a'), 0)).toHaveProperty('id');
    const b = sessions.start(input('b'), 0);
    expect(sessions.start(input('a'), 0)).toHaveProperty('id');
    expect(() => sessions.start(input('a'), 0)).toThrow(/this project has 2 unfinished uploads \(at most 2\)/);
    expect(() => sessions.start(input('c'), 0).id).not.toThrow();
    expect(() => sessions.start(input('c'), 0)).toThrow(/4 unfinished uploads in all \(at most 4\)/);
    expect(sessions.get(b.id, 'b', 0)).toBe(b);
  });

  it('expired sessions free their bytes', () => {
    const sessions = new UploadSessions({ ttlMs: 1000, maxBytesPerProject: 16 * MiB });
    const s = sessions.start(input('a'), 0);
    expect(sessions.append(s, Buffer.alloc(16 * MiB))).toBeUndefined();
    expect(sessions.get(s.id, 'a', 2000)).toBeUndefined();
    expect(sessions.heldBytes()).toBe(0);
  });
});
