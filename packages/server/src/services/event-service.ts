import { describeAcceptedEventTypes, isAcceptedEventType } from '@herald/contracts';
import type { Clock } from '../kernel/clock.js';
import { invalidArgument, notFound, payloadTooLarge } from '../http/api-error.js';
import type { EventRecord } from '../model/records.js';
import type { Store } from '../ports/store.js';
import { buildEvent } from '../model/build-event.js';
import { catalogDataProblem } from './catalog-data.js';

export interface EventServiceDeps {
  store: Store;
  clock: Clock;
  timeScale: number;
  maxEventDataBytes: number;
}

/** API builders emit events; the event and its deliveries are committed together. */
export class EventService {
  readonly #d: EventServiceDeps;

  constructor(deps: EventServiceDeps) {
    this.#d = deps;
  }

  async emit(
    projectId: string,
    input: { type: string; data: Record<string, unknown>; idempotencyKey?: string },
  ): Promise<{ event: EventRecord; duplicate: boolean }> {
    if (!isAcceptedEventType(input.type)) {
      throw invalidArgument(
        `type "${input.type.slice(0, 140)}" is not an accepted event type; ${describeAcceptedEventTypes()}`,
      );
    }
    if (input.type === 'webhook.ping' || input.type === 'webhook.disabled') {
      throw invalidArgument(
        `type "${input.type}" is emitted by Herald itself; use POST /v1beta/webhooks/{id}:ping to ping`,
      );
    }
    const dataProblem = catalogDataProblem(input.type, input.data);
    if (dataProblem) throw invalidArgument(dataProblem);
    const size = Buffer.byteLength(JSON.stringify(input.data));
    if (size > this.#d.maxEventDataBytes) {
      throw payloadTooLarge(
        `data is ${size} bytes; events carry at most ${this.#d.maxEventDataBytes} bytes (send a link to large results)`,
      );
    }
    if (
      input.idempotencyKey !== undefined &&
      (input.idempotencyKey.length === 0 || input.idempotencyKey.length > 255)
    ) {
      throw invalidArgument('Idempotency-Key must be 1 to 255 characters');
    }
    const ev = buildEvent({
      projectId,
      type: input.type,
      data: input.data,
      now: this.#d.clock.now(),
      target: { kind: 'subscribers' },
      timeScale: this.#d.timeScale,
      ...(input.idempotencyKey !== undefined ? { idempotencyKey: input.idempotencyKey } : {}),
    });
    return this.#d.store.emitEvent(ev);
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
