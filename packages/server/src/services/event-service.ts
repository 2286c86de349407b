import { describeAcceptedEventTypes, isAcceptedEventType } from '@herald/contracts';
import type { Clock } from '../kernel/clock.js';
import { InvalidArgument, TooLarge, invalidArgument, notFound, tooLarge } from '../kernel/domain-errors.js';
import type { EmitInput, EventRecord } from '../model/records.js';
import type { EventLog } from '../ports/event-log.js';
import { buildEvent } from '../model/build-event.js';
import { catalogDataProblem } from './catalog-data.js';
import type { IngestRateLimit } from './ingest-rate-limit.js';

export interface EventServiceDeps {
  store: EventLog;
  clock: Clock;
  timeScale: number;
  maxEventDataBytes: number;
  /** The per-project ingest rate limit (each event counts one); absent: none. */
  rateLimit?: Pick<IngestRateLimit, 'take'>;
}

/** Most events in one `emitMany` (`POST /v1beta/events:batchCreate`). */
export const MAX_BATCH_EVENTS = 1000;

/** One event as a producer sends it. */
export interface EmitRequest {
  type: string;
  data: Record<string, unknown>;
  idempotencyKey?: string;
}

/**
 * The error of item `i` of a batch: a 400 whose message starts with the item's path
 * (`requests[3].type: …`), also for an item whose data is too large (the batch's body fit).
 */
function inBatch(err: InvalidArgument | TooLarge, i: number): InvalidArgument {
  const name = err instanceof InvalidArgument ? err.field : 'data';
  const path = `requests[${i}]${name !== undefined ? `.${name}` : ''}`;
  return new InvalidArgument(`${path}: ${err.message}`, path);
}

/** API builders emit events; the event and its deliveries are committed together. */
export class EventService {
  readonly #d: EventServiceDeps;

  constructor(deps: EventServiceDeps) {
    this.#d = deps;
  }

  async emit(projectId: string, input: EmitRequest): Promise<{ event: EventRecord; duplicate: boolean }> {
    const envelope = this.#envelope(projectId, input, this.#d.clock.now());
    await this.#d.rateLimit?.take(projectId, 1);
    return this.#d.store.emitEvent(envelope);
  }

  /**
   * Emits up to {@link MAX_BATCH_EVENTS} events in one transaction, all or nothing, answered in
   * request order. A bad item fails the whole batch with InvalidArgument naming its index
   * (`requests[3].type`); a repeated idempotency key returns the original event.
   */
  async emitMany(
    projectId: string,
    inputs: readonly EmitRequest[],
  ): Promise<{ event: EventRecord; duplicate: boolean }[]> {
    if (inputs.length === 0) throw invalidArgument('requests must hold 1 to 1000 events', 'requests');
    if (inputs.length > MAX_BATCH_EVENTS) {
      throw invalidArgument(
        `requests holds ${inputs.length} events; at most ${MAX_BATCH_EVENTS} fit in one batch`,
        'requests',
      );
    }
    const now = this.#d.clock.now();
    const keys = new Map<string, number>();
    const envelopes = inputs.map((input, i) => {
      const key = input.idempotencyKey;
      if (key !== undefined) {
        const first = keys.get(key);
        if (first !== undefined) {
          throw invalidArgument(
            `requests[${i}].idempotency_key repeats requests[${first}].idempotency_key; each event of a batch needs its own key`,
            `requests[${i}].idempotency_key`,
          );
        }
        keys.set(key, i);
      }
      try {
        return this.#envelope(projectId, input, now);
      } catch (err) {
        throw err instanceof InvalidArgument || err instanceof TooLarge ? inBatch(err, i) : err;
      }
    });
    await this.#d.rateLimit?.take(projectId, envelopes.length);
    return this.#d.store.emitEvents(envelopes);
  }

  /** Validates one event and builds its envelope (the bytes every delivery of it sends). */
  #envelope(projectId: string, input: EmitRequest, now: number): EmitInput {
    if (!isAcceptedEventType(input.type)) {
      throw invalidArgument(
        `type "${input.type.slice(0, 140)}" is not an accepted event type; ${describeAcceptedEventTypes()}`,
        'type',
      );
    }
    if (input.type === 'webhook.ping' || input.type === 'webhook.disabled') {
      throw invalidArgument(
        `type "${input.type}" is emitted by Herald itself; ping a webhook to send one (its ping action)`,
        'type',
      );
    }
    const dataProblem = catalogDataProblem(input.type, input.data);
    if (dataProblem) throw invalidArgument(dataProblem);
    const size = Buffer.byteLength(JSON.stringify(input.data));
    if (size > this.#d.maxEventDataBytes) {
      throw tooLarge(
        `data is ${size} bytes; events carry at most ${this.#d.maxEventDataBytes} bytes (send a link to large results)`,
      );
    }
    if (
      input.idempotencyKey !== undefined &&
      (input.idempotencyKey.length === 0 || input.idempotencyKey.length > 255)
    ) {
      throw invalidArgument('Idempotency-Key must be 1 to 255 characters', 'idempotency_key');
    }
    return buildEvent({
      projectId,
      type: input.type,
      data: input.data,
      now,
      target: { kind: 'subscribers' },
      timeScale: this.#d.timeScale,
      ...(input.idempotencyKey !== undefined ? { idempotencyKey: input.idempotencyKey } : {}),
    });
  }

  async get(projectId: string, id: string): Promise<EventRecord> {
    const e = await this.#d.store.getEvent(projectId, id);
    if (!e) throw notFound(`event "${id}" not found`);
    return e;
  }

  async list(projectId: string, q: { afterSequence: number; types?: string[]; pageSize: number }) {
    return this.#d.store.listEvents(projectId, q);
  }
}
