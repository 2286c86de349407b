import { describe, expect, it } from 'vitest';
import { ResourceExhausted } from '../kernel/domain-errors.js';
import { ManualClock } from '../testing/manual-clock.js';
import { IngestRateLimit } from './ingest-rate-limit.js';
import type { EffectiveLimits } from './project-limits.js';

/** Limits as ProjectLimits answers them; `own` marks a project's own value. */
function limitsOf(table: Record<string, number>, own = new Set<string>()) {
  return {
    get: async (projectId: string): Promise<EffectiveLimits> => ({
      eventsPerSecond: table[projectId] ?? 0,
      maxWebhooks: 1000,
      source: { eventsPerSecond: own.has(projectId) ? 'project' : 'default', maxWebhooks: 'default' },
    }),
  };
}

async function refusal(p: Promise<void>): Promise<ResourceExhausted> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ResourceExhausted);
  return err as ResourceExhausted;
}

describe('IngestRateLimit', () => {
  it('lets a project emit its events per second, then refuses with Retry-After rounded up', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const rate = new IngestRateLimit({ limits: limitsOf({ acme: 4 }), clock });
    for (let i = 0; i < 4; i++) await rate.take('acme', 1);
    const err = await refusal(rate.take('acme', 1));
    expect(err.retryAfterSeconds).toBe(1); // 250 ms rounds up to 1 s
    expect(err.message).toContain('project "acme" is over its limit of 4 events per second');
    expect(err.message).toContain('HERALD_PROJECT_EVENTS_PER_SECOND');
    clock.advance(250);
    await rate.take('acme', 1);
  });

  it('keeps projects apart: one over its limit does not slow another', async () => {
    const clock = new ManualClock(0);
    const rate = new IngestRateLimit({ limits: limitsOf({ noisy: 2, quiet: 2 }), clock });
    await rate.take('noisy', 2);
    await refusal(rate.take('noisy', 1));
    await rate.take('quiet', 2);
  });

  it('takes a batch whole: a batch larger than one second of the limit says to split it', async () => {
    const clock = new ManualClock(0);
    const rate = new IngestRateLimit({ limits: limitsOf({ acme: 10 }, new Set(['acme'])), clock });
    await rate.take('acme', 8);
    const short = await refusal(rate.take('acme', 5));
    expect(short.retryAfterSeconds).toBe(1);
    const huge = await refusal(rate.take('acme', 11));
    expect(huge.retryAfterSeconds).toBeUndefined();
    expect(huge.message).toMatch(/send batches of at most 10 events/);
    expect(huge.message).toContain('PATCH /v1beta/projects/acme?update_mask=limits');
    expect(huge.message).not.toContain('HERALD_PROJECT_EVENTS_PER_SECOND');
  });

  it('rounds a long wait up to whole seconds', async () => {
    const clock = new ManualClock(0);
    const rate = new IngestRateLimit({ limits: limitsOf({ slow: 1 }), clock });
    await rate.take('slow', 1);
    clock.advance(1);
    expect((await refusal(rate.take('slow', 1))).retryAfterSeconds).toBe(1);
  });

  it('does not limit at 0 and keeps no bucket for it', async () => {
    const clock = new ManualClock(0);
    const rate = new IngestRateLimit({ limits: limitsOf({}), clock });
    for (let i = 0; i < 10_000; i++) await rate.take('open', 1);
    expect(rate.buckets).toBe(0);
  });

  it('starts a fresh bucket when the limit changes', async () => {
    const clock = new ManualClock(0);
    const table: Record<string, number> = { acme: 1 };
    const rate = new IngestRateLimit({ limits: limitsOf(table), clock });
    await rate.take('acme', 1);
    await refusal(rate.take('acme', 1));
    table.acme = 100;
    await rate.take('acme', 50);
  });

  it('holds at most maxProjects buckets', async () => {
    const clock = new ManualClock(0);
    const table: Record<string, number> = {};
    for (let i = 0; i < 2_000; i++) table[`p${i}`] = 5;
    const rate = new IngestRateLimit({ limits: limitsOf(table), clock, maxProjects: 100 });
    for (let i = 0; i < 2_000; i++) await rate.take(`p${i}`, 1);
    expect(rate.buckets).toBe(100);
  });
});
