import { describe, expect, it } from 'vitest';
import { BATCH_KIND, INTERACTION_KIND, VIDEO_KIND } from '../kinds.js';
import type { Outcome } from '../../operations/operation-service.js';
import type { OperationRecord } from '../../model/operation-records.js';
import type { Store } from '../../ports/store.js';
import type { ExecutorRunner } from '../../operations/runner/executor-runner.js';
import type { ExecutorContext, OutcomeExecutor } from '../../operations/runner/executor-types.js';
import { registerSimulator } from './register-simulator.js';

/** A runner that only records what is registered. */
function recordingRunner() {
  const executors = new Map<string, OutcomeExecutor>();
  const runner: ExecutorRunner = {
    register: (kind, executor) => void executors.set(kind, executor),
    get kinds() {
      return [...executors.keys()];
    },
    start: async () => {},
    stop: async () => {},
    active: 0,
  };
  return { runner, executors };
}

/** A context whose sleep returns at once and records how long the executor asked to wait. */
function recordingContext() {
  const slept: number[] = [];
  const ctx: ExecutorContext = {
    signal: new AbortController().signal,
    progress: async () => {},
    sleep: async (ms) => void slept.push(ms),
  };
  return { ctx, slept };
}

const op = (kind: string, metadata: Record<string, unknown>): OperationRecord => ({
  name: `x/${kind}`,
  id: 'op1',
  projectId: 'p',
  kind,
  state: 'running',
  metadata,
  progress: null,
  result: null,
  error: null,
  webhookConfig: null,
  leaseId: 'lease_1',
  leaseOwner: 'runner:test',
  leaseUntil: null,
  attempt: 1,
  heartbeatAt: null,
  idempotencyKey: null,
  createdAt: 0,
  updatedAt: 0,
  startedAt: 0,
  endedAt: null,
  expireAt: null,
});

const METADATA: Record<string, Record<string, unknown>> = {
  [BATCH_KIND]: {
    model: 'gemini-2.5-flash',
    displayName: 'b',
    input: { requests: [{ request: { contents: [{ parts: [{ text: 'hi' }] }] } }] },
  },
  [VIDEO_KIND]: { model: 'veo-3.1', instances: [{ prompt: 'sea' }], parameters: {} },
  [INTERACTION_KIND]: { model: 'm', input: 'hi', background: true },
};

const deps = (timeScale: number) => ({
  store: {} as Store, // inline batches, videos and interactions read nothing from the store
  timeScale,
  now: () => 1_800_000_000_000,
  publicUrl: () => 'http://127.0.0.1:8080',
});

describe('registerSimulator', () => {
  it('registers the three Gemini kinds when on, none when off', () => {
    const on = recordingRunner();
    registerSimulator(on.runner, { enabled: true, batchMs: 1, videoMs: 1, interactionMs: 1 }, deps(1));
    expect(on.runner.kinds).toEqual([BATCH_KIND, VIDEO_KIND, INTERACTION_KIND]);
    const off = recordingRunner();
    registerSimulator(off.runner, { enabled: false, batchMs: 1, videoMs: 1, interactionMs: 1 }, deps(1));
    expect(off.runner.kinds).toEqual([]);
  });

  it.each([BATCH_KIND, VIDEO_KIND, INTERACTION_KIND])(
    '%s waits its configured duration divided by HERALD_TIME_SCALE, then succeeds',
    async (kind) => {
      const config = { enabled: true, batchMs: 60_000, videoMs: 90_000, interactionMs: 30_000 };
      const configured = { [BATCH_KIND]: 60_000, [VIDEO_KIND]: 90_000, [INTERACTION_KIND]: 30_000 }[kind]!;
      for (const timeScale of [1, 1000]) {
        const { runner, executors } = recordingRunner();
        registerSimulator(runner, config, deps(timeScale));
        const { ctx, slept } = recordingContext();
        const outcome: Outcome = await executors.get(kind)!(op(kind, METADATA[kind]!), ctx);
        expect(outcome.state).toBe('succeeded');
        expect(slept.reduce((a, b) => a + b, 0)).toBe(configured / timeScale);
      }
    },
  );

  it('is deterministic: the same request gives the same outcome', async () => {
    const { runner, executors } = recordingRunner();
    registerSimulator(runner, { enabled: true, batchMs: 0, videoMs: 0, interactionMs: 0 }, deps(1));
    for (const kind of [BATCH_KIND, INTERACTION_KIND]) {
      const a = await executors.get(kind)!(op(kind, METADATA[kind]!), recordingContext().ctx);
      const b = await executors.get(kind)!(op(kind, METADATA[kind]!), recordingContext().ctx);
      expect(a).toEqual(b);
    }
  });
});
