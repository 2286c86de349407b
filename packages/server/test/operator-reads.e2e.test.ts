import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProjectReads } from '../src/services/project-reads.js';
import { ManualClock } from '../src/testing/manual-clock.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * The operator's read models on both stores: per-project webhooks, backlog and 24 h attempts for a
 * page of projects (one grouped query), and the bucketed activity behind the charts.
 */
const backends = await testBackends('operator reads');
let ok: Receiver;
let down: Receiver;
beforeAll(async () => {
  ok = await startReceiver(() => ({ status: 200, body: 'ok' }));
  down = await startReceiver(() => ({ status: 500, body: 'down' }));
});
afterAll(async () => {
  await ok?.close();
  await down?.close();
});

for (const backend of backends) {
  describe(`${backend.name}: operator read models`, () => {
    let h: TestHerald;
    afterEach(async () => h?.close());

    it('summarises a page of projects and buckets the last 24 h of attempts, per project or all', async () => {
      await backend.reset();
      const clock = new ManualClock(Date.UTC(2026, 11, 4, 12, 30, 15));
      h = await startTestHerald({ clock, config: backend.config });
      const admin = { 'x-goog-api-key': h.adminKey };
      for (const [id, name] of [
        ['alpha-co', 'Alpha'],
        ['bravo-co', 'Bravo'],
        ['empty-co', 'Empty'],
      ]) {
        expect((await h.api('POST', '/v1beta/projects', { id, name }, admin)).status).toBe(200);
      }
      const hook = (project: string, uri: string) =>
        h.api('POST', `/v1beta/projects/${project}/webhooks`, { uri, subscribed_events: ['job.done'] }, admin);
      await hook('alpha-co', ok.url);
      await hook('alpha-co', down.url); // fails, then waits for a retry the manual clock holds back
      await hook('bravo-co', ok.url);
      await h.api('POST', '/v1beta/projects/alpha-co/events', { type: 'job.done', data: {} }, admin);
      await h.api('POST', '/v1beta/projects/bravo-co/events', { type: 'job.done', data: {} }, admin);
      await h.waitForAttempts(3);

      const reads = new ProjectReads({ reads: h.herald.store });
      const now = clock.now();
      expect(await reads.summaries(['empty-co', 'alpha-co', 'bravo-co', 'no-such'], now)).toEqual([
        { projectId: 'empty-co', webhooks: 0, backlog: 0, attempts: 0, succeeded: 0 },
        { projectId: 'alpha-co', webhooks: 2, backlog: 1, attempts: 2, succeeded: 1 },
        { projectId: 'bravo-co', webhooks: 1, backlog: 0, attempts: 1, succeeded: 1 },
        { projectId: 'no-such', webhooks: 0, backlog: 0, attempts: 0, succeeded: 0 },
      ]);
      expect(await reads.summaries([], now)).toEqual([]);

      const all = await reads.activity(now);
      expect(all.perMinute).toHaveLength(1440);
      expect(all.perMinute.at(-1)).toBe(3); // this minute is the window's last bucket
      expect(all.perMinute.slice(0, -1).every((n) => n === 0)).toBe(true);
      expect([all.attempts, all.succeeded]).toEqual([3, 2]);
      expect(all.successRate.at(-1)).toBeCloseTo(2 / 3);
      expect(all.latency.at(-1)).toMatchObject({ p50: expect.any(Number), p99: expect.any(Number) });
      expect(all.latency.slice(0, -1).every((p) => p === null)).toBe(true);

      const bravo = await reads.activity(now, { projectId: 'bravo-co' });
      expect([bravo.attempts, bravo.succeeded]).toEqual([1, 1]);
      expect((await reads.activity(now, { projectId: 'empty-co' })).attempts).toBe(0);

      // A day later those attempts are out of the window; webhooks and backlog are not windowed.
      const later = now + 25 * 3_600_000;
      expect(await reads.summaries(['bravo-co'], later)).toEqual([
        { projectId: 'bravo-co', webhooks: 1, backlog: 0, attempts: 0, succeeded: 0 },
      ]);
      expect((await reads.activity(later, { projectId: 'bravo-co' })).attempts).toBe(0);
    });
  });
}
