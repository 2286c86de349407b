/**
 * Request shapes and options of the CLI's API client that `@herald/contracts` does not define
 * (resources such as Operation and Listener come from there).
 */
import type { Batch, DeliveryStatus, Interaction, Operation, VideoOperation } from '@herald/contracts';

/** Query-string values; `undefined` entries are left out. */
export type Query = Readonly<Record<string, string | number | undefined>>;

/** A decoded 2xx answer. */
export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** Paging options of the list calls. */
export interface Page {
  pageSize?: number | undefined;
  pageToken?: string | undefined;
}

/** Body of `POST /v1beta/webhooks`. */
export interface CreateWebhookInput {
  name?: string | undefined;
  uri: string;
  subscribed_events: string[];
}

/** Fields of `PATCH /v1beta/webhooks/{id}`; the update mask is the set of fields given. */
export interface UpdateWebhookInput {
  name?: string | undefined;
  uri?: string | undefined;
  subscribed_events?: string[] | undefined;
  state?: 'enabled' | 'disabled' | undefined;
}

/** Filters of `GET /v1beta/events`. */
export interface EventQuery extends Page {
  after?: number | undefined;
  types?: readonly string[] | undefined;
}

/** Filters of `GET /v1beta/deliveries`. */
export interface DeliveryQuery extends Page {
  status?: DeliveryStatus | undefined;
  webhook?: string | undefined;
  event?: string | undefined;
}

/**
 * Whatever `GET /v1beta/{name}` answers, as the resource's own surface presents it: a Herald
 * operation, a Gemini batch, a video operation or an interaction.
 */
export type OperationResource = Operation | Batch | VideoOperation | Interaction;

/** Filters of `GET /v1beta/operations`. */
export interface OperationQuery extends Page {
  kinds?: readonly string[] | undefined;
  states?: readonly string[] | undefined;
}

/** Body of `POST /v1beta/webhooks/{id}:replay`. */
export interface ReplayInput {
  since: string;
  until?: string | undefined;
  only_failed?: boolean | undefined;
}

/** What the local receiver answered, reported back to Herald. */
export interface ListenerReport {
  attempt?: number | undefined;
  status_code?: number | undefined;
  duration_ms: number;
  response_excerpt?: string | undefined;
  error?: { code: string; message: string } | undefined;
}
