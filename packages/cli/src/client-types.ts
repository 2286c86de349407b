/** Request and resource shapes of the CLI's API client that `@herald/contracts` does not define. */
import type { DeliveryStatus } from '@herald/contracts';

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

/** States of an operation, every kind (`pending` and `running` are the only ones that are not final). */
export type OperationState =
  'pending' | 'running' | 'requires_action' | 'succeeded' | 'failed' | 'cancelled' | 'expired';

/** The Herald-native operation resource (`GET /v1beta/operations`, `GET /v1beta/operations/{id}`). */
export interface Operation {
  name: string;
  id: string;
  kind: string;
  state: OperationState;
  done: boolean;
  metadata: Record<string, unknown>;
  progress?: { percent: number; message: string; data?: unknown };
  result?: unknown;
  error?: { code: number | string; message: string };
  webhook_config?: Record<string, unknown>;
  attempt: number;
  create_time: string;
  update_time: string;
  start_time?: string;
  end_time?: string;
  expire_time?: string;
}

/** `GET /v1beta/operations`. */
export interface OperationList {
  operations: Operation[];
  next_page_token?: string;
}

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

/** A `herald listen` destination (`POST /v1beta/listeners`): a webhook whose deliveries are streamed. */
export interface Listener {
  /** Also the id of its webhook (deliveries, replay). */
  id: string;
  /** `herald-listen://lst_…`. */
  uri: string;
  name: string;
  subscribed_events: string[];
  state: string;
  /** Whether a `herald listen` stream is open. */
  connected: boolean;
  create_time: string;
  /** The signing secret (`whsec_…`), in the answer to create only. */
  secret?: string;
}

/** One attempt pushed on a listener's stream (`event: delivery`). */
export interface ListenerDelivery {
  delivery_id: string;
  attempt: number;
  /** What Herald would send: content-type, user-agent and the signed webhook-id/-timestamp/-signature. */
  headers: Record<string, string>;
  body: string;
}

/** What the local receiver answered, reported back to Herald. */
export interface ListenerReport {
  attempt?: number | undefined;
  status_code?: number | undefined;
  duration_ms: number;
  response_excerpt?: string | undefined;
  error?: { code: string; message: string } | undefined;
}
