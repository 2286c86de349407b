import type { OperationRecord, OperationState } from '../model/operation-records.js';

/**
 * What a kind of operation announces: the event type on entering each final state, and its
 * `data` (without `user_metadata`, which operation-events.ts adds for every kind).
 */
export interface KindSpec {
  /** Final states this kind can reach. */
  readonly finalStates: readonly OperationState[];
  /** The event type fired on entering `state`, if any. */
  eventType(op: OperationRecord): string | undefined;
  eventData(op: OperationRecord): Record<string, unknown>;
  /** `operation.progress` for custom kinds; Gemini kinds store progress without an event. */
  readonly progressEvent?: string;
  readonly expires?: boolean;
}

/** Kinds of operations API builders create: lower-case dotted segments. */
export const CUSTOM_KIND_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;
export const RESERVED_KIND_PREFIX = 'gemini.';

const errorFields = (op: OperationRecord) => ({
  error_code: op.error?.code ?? 'UNKNOWN',
  error_message: op.error?.message ?? '',
});

const CUSTOM_EVENTS: Partial<Record<OperationState, string>> = {
  succeeded: 'operation.succeeded',
  failed: 'operation.failed',
  cancelled: 'operation.cancelled',
};

/** Custom kinds (`render.video`, `etl`): `operation.*` events with the result or the error. */
export const CUSTOM_KIND: KindSpec = {
  finalStates: ['succeeded', 'failed', 'cancelled'],
  eventType: (op) => CUSTOM_EVENTS[op.state],
  eventData(op) {
    const base = { id: op.name, kind: op.kind };
    if (op.state === 'succeeded') return op.result === null ? base : { ...base, result: op.result };
    if (op.state === 'failed') return { ...base, ...errorFields(op) };
    if (op.state === 'running' && op.progress) return { ...base, progress: op.progress };
    return base;
  },
  progressEvent: 'operation.progress',
};

/**
 * Which kinds have their own events: built-in kinds are registered by the composition root
 * (`compose/` registers the Gemini kinds); every other kind is a custom one (`CUSTOM_KIND`). The
 * registry knows no kind by name, so adding a surface never edits this file.
 *
 * @example
 * const kinds = new KindRegistry().registerAll(GEMINI_KINDS);
 * kinds.spec('gemini.batch').eventType(op);   // 'batch.succeeded'
 */
export class KindRegistry {
  readonly #specs = new Map<string, KindSpec>();

  register(kind: string, spec: KindSpec): this {
    if (!kind.startsWith(RESERVED_KIND_PREFIX)) {
      throw new Error(`built-in kinds start with "${RESERVED_KIND_PREFIX}"; "${kind}" would shadow a custom kind`);
    }
    this.#specs.set(kind, spec);
    return this;
  }

  registerAll(specs: Readonly<Record<string, KindSpec>>): this {
    for (const [kind, spec] of Object.entries(specs)) this.register(kind, spec);
    return this;
  }

  /** The spec of `kind`: a registered built-in kind's, else the custom kinds'. */
  spec(kind: string): KindSpec {
    return this.#specs.get(kind) ?? CUSTOM_KIND;
  }

  /** The registered built-in kinds, for pickers. */
  builtIn(): string[] {
    return [...this.#specs.keys()];
  }
}

export const isGeminiKind = (kind: string): boolean => kind.startsWith(RESERVED_KIND_PREFIX);
