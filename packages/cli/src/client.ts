/**
 * A small typed client of the Herald HTTP API over Node's global `fetch`. Resource types come from
 * `@herald/contracts` (types only: nothing of the server is loaded). Every failure becomes an
 * {@link ApiError} (the server answered with an error body) or a {@link ConnectionError} (no usable
 * answer), with a message that says what to do.
 * @module
 */

import type {
  ApiKey,
  ApiKeyList,
  CreatedApiKey,
  Delivery,
  DeliveryList,
  Event,
  EventList,
  Jwks,
  Listener,
  OperationList,
  ReplayWebhookResponse,
  RevocationBehavior,
  RotateSigningSecretResponse,
  SigningKeyAlgorithm,
  SigningKeyList,
  Webhook,
  WebhookList,
} from '@herald/contracts';
import { apiErrorOf, ConnectionError, connectionError } from './client-errors.js';

export { ApiError, ConnectionError, causeCode, normalizeBaseUrl } from './client-errors.js';
import type { BatchEventRequest } from './event-batch.js';
import type {
  Query,
  ApiResponse,
  Page,
  CreateWebhookInput,
  UpdateWebhookInput,
  EventQuery,
  DeliveryQuery,
  OperationQuery,
  OperationResource,
  ReplayInput,
  ListenerReport,
} from './client-types.js';

export type {
  Query,
  ApiResponse,
  Page,
  CreateWebhookInput,
  UpdateWebhookInput,
  EventQuery,
  DeliveryQuery,
  OperationQuery,
  OperationResource,
  ReplayInput,
  ListenerReport,
} from './client-types.js';
export type { OperationState, Operation, OperationList, Listener, ListenerDelivery } from '@herald/contracts';

/** Options of {@link HeraldClient}. */
export interface HeraldClientOptions {
  /** Base URL of the server, such as `http://127.0.0.1:8080` (see {@link normalizeBaseUrl}). */
  url: string;
  /** Sent as `x-goog-api-key`. */
  apiKey?: string | undefined;
  /** Per-request timeout for ordinary calls (not streams). Default 30 s. */
  timeoutMs?: number;
  /** `User-Agent` header. */
  userAgent?: string;
  /** A hint printed under authentication errors (where the key came from). */
  authHint?: string;
  /** A hint printed under `403 PERMISSION_DENIED` (what key the method needs); default `authHint`. */
  permissionHint?: string | undefined;
  /** Headers sent with every request (`x-herald-project` for `--project`). */
  headers?: Record<string, string>;
}

const id = (value: string) => encodeURIComponent(value);
/** A resource name (`batches/x`, `models/m/operations/x`) as a path, each segment encoded. */
const resourcePath = (name: string) => name.split('/').map(encodeURIComponent).join('/');

/** The Herald HTTP API, one method per route. */
export class HeraldClient {
  readonly baseUrl: string;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  readonly #authHint: string | undefined;
  readonly #permissionHint: string | undefined;
  readonly #headers: Record<string, string>;

  constructor(options: HeraldClientOptions) {
    this.baseUrl = options.url;
    this.#apiKey = options.apiKey;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#userAgent = options.userAgent ?? 'herald-cli';
    this.#authHint = options.authHint;
    this.#permissionHint = options.permissionHint;
    this.#headers = options.headers ?? {};
  }

  /** Builds the URL of an API path (`/v1beta/...`) with a query string. */
  url(path: string, query: Query = {}): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') qs.set(k, String(v));
    const s = qs.toString();
    return `${this.baseUrl}${path}${s ? `?${s}` : ''}`;
  }

  /**
   * Sends a request and returns the raw `Response` once its status is 2xx; error statuses become
   * {@link ApiError}. `timeout: false` is for streams, which stay open.
   */
  async open(
    method: string,
    path: string,
    opts: {
      query?: Query;
      body?: unknown;
      headers?: Record<string, string>;
      signal?: AbortSignal | undefined;
      timeout?: boolean;
    } = {},
  ): Promise<Response> {
    const url = this.url(path, opts.query);
    const signals: AbortSignal[] = [];
    if (opts.signal) signals.push(opts.signal);
    if (opts.timeout !== false) signals.push(AbortSignal.timeout(this.#timeoutMs));
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          'user-agent': this.#userAgent,
          ...(this.#apiKey !== undefined ? { 'x-goog-api-key': this.#apiKey } : {}),
          ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...this.#headers,
          ...opts.headers,
        },
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}),
      });
    } catch (err) {
      throw connectionError(err, this.baseUrl, this.#timeoutMs, opts.signal);
    }
    if (!res.ok) throw await apiErrorOf(res, this.baseUrl, this.#authHint, this.#permissionHint);
    return res;
  }

  /** Sends a JSON request and decodes the JSON answer. */
  async request<T>(
    method: string,
    path: string,
    opts: {
      query?: Query;
      body?: unknown;
      headers?: Record<string, string>;
      signal?: AbortSignal | undefined;
      timeout?: boolean;
    } = {},
  ): Promise<ApiResponse<T>> {
    const res = await this.open(method, path, opts);
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw connectionError(err, this.baseUrl, this.#timeoutMs, opts.signal);
    }
    try {
      return { status: res.status, headers: res.headers, body: (text === '' ? {} : JSON.parse(text)) as T };
    } catch (err) {
      throw new ConnectionError(
        `${this.baseUrl} answered ${method} ${path} with something other than JSON: is --url pointing at Herald?`,
        this.baseUrl,
        err,
      );
    }
  }

  // --- webhooks ---------------------------------------------------------------------------

  async createWebhook(input: CreateWebhookInput): Promise<Webhook> {
    return (await this.request<Webhook>('POST', '/v1beta/webhooks', { body: input })).body;
  }

  async listWebhooks(page: Page = {}): Promise<WebhookList> {
    const query = { page_size: page.pageSize, page_token: page.pageToken };
    return (await this.request<WebhookList>('GET', '/v1beta/webhooks', { query })).body;
  }

  async getWebhook(webhookId: string): Promise<Webhook> {
    return (await this.request<Webhook>('GET', `/v1beta/webhooks/${id(webhookId)}`)).body;
  }

  async updateWebhook(webhookId: string, input: UpdateWebhookInput): Promise<Webhook> {
    const fields = (Object.keys(input) as (keyof UpdateWebhookInput)[]).filter((k) => input[k] !== undefined);
    const path = `/v1beta/webhooks/${id(webhookId)}`;
    return (await this.request<Webhook>('PATCH', path, { query: { update_mask: fields.join(',') }, body: input })).body;
  }

  async deleteWebhook(webhookId: string): Promise<void> {
    await this.request('DELETE', `/v1beta/webhooks/${id(webhookId)}`);
  }

  /** Queues a `webhook.ping`; the answer names the event and the delivery it made. */
  async pingWebhook(webhookId: string): Promise<{ event_id?: string; message_id?: string; delivery_id?: string }> {
    return (
      await this.request<{ event_id?: string; message_id?: string; delivery_id?: string }>(
        'POST',
        `/v1beta/webhooks/${id(webhookId)}:ping`,
        { body: {} },
      )
    ).body;
  }

  async rotateSigningSecret(
    webhookId: string,
    revocationBehavior?: RevocationBehavior,
  ): Promise<RotateSigningSecretResponse> {
    const body = revocationBehavior ? { revocation_behavior: revocationBehavior } : {};
    const path = `/v1beta/webhooks/${id(webhookId)}:rotateSigningSecret`;
    return (await this.request<RotateSigningSecretResponse>('POST', path, { body })).body;
  }

  // --- events -----------------------------------------------------------------------------

  /** Emits an event; `replayed` is true when the Idempotency-Key matched an earlier event. */
  async emitEvent(
    input: { type: string; data: Record<string, unknown> },
    idempotencyKey?: string,
  ): Promise<{ event: Event; replayed: boolean }> {
    const headers: Record<string, string> = idempotencyKey ? { 'idempotency-key': idempotencyKey } : {};
    const res = await this.request<Event>('POST', '/v1beta/events', { body: input, headers });
    return { event: res.body, replayed: res.headers.get('idempotent-replayed') === 'true' };
  }

  /** Emits up to 1,000 events in one transaction (all or nothing), answered in request order. */
  async batchCreateEvents(requests: BatchEventRequest[]): Promise<Event[]> {
    return (await this.request<{ events: Event[] }>('POST', '/v1beta/events:batchCreate', { body: { requests } })).body
      .events;
  }

  async listEvents(q: EventQuery = {}): Promise<EventList> {
    const query = {
      after: q.after,
      types: q.types?.join(','),
      page_size: q.pageSize,
      page_token: q.pageToken,
    };
    return (await this.request<EventList>('GET', '/v1beta/events', { query })).body;
  }

  async getEvent(eventId: string): Promise<Event> {
    return (await this.request<Event>('GET', `/v1beta/events/${id(eventId)}`)).body;
  }

  /** Opens the server-sent event stream (`GET /v1beta/events:stream`); read it with `readSse`. */
  async streamEvents(
    q: { after?: number | undefined; types?: readonly string[] | undefined; lastEventId?: string | undefined },
    signal?: AbortSignal,
  ): Promise<Response> {
    return this.open('GET', '/v1beta/events:stream', {
      query: { after: q.after, types: q.types?.join(',') },
      headers: {
        accept: 'text/event-stream',
        ...(q.lastEventId !== undefined ? { 'last-event-id': q.lastEventId } : {}),
      },
      signal,
      timeout: false,
    });
  }

  // --- deliveries -------------------------------------------------------------------------

  async listDeliveries(q: DeliveryQuery = {}): Promise<DeliveryList> {
    const query = {
      status: q.status,
      webhook: q.webhook,
      event: q.event,
      page_size: q.pageSize,
      page_token: q.pageToken,
    };
    return (await this.request<DeliveryList>('GET', '/v1beta/deliveries', { query })).body;
  }

  async getDelivery(deliveryId: string): Promise<Delivery> {
    return (await this.request<Delivery>('GET', `/v1beta/deliveries/${id(deliveryId)}`)).body;
  }

  async retryDelivery(deliveryId: string): Promise<Delivery> {
    return (await this.request<Delivery>('POST', `/v1beta/deliveries/${id(deliveryId)}:retry`, { body: {} })).body;
  }

  // --- operations ------------------------------------------------------------------------

  async listOperations(q: OperationQuery = {}): Promise<OperationList> {
    const query = {
      kind: q.kinds?.join(','),
      state: q.states?.join(','),
      page_size: q.pageSize,
      page_token: q.pageToken,
    };
    return (await this.request<OperationList>('GET', '/v1beta/operations', { query })).body;
  }

  /**
   * `GET /v1beta/{name}`: the resource as its own surface presents it (a Herald operation, a
   * Gemini batch, a video operation or an interaction). `wait` long-polls (`30s`).
   */
  async getOperation(name: string, wait?: string, signal?: AbortSignal): Promise<OperationResource> {
    const path = `/v1beta/${resourcePath(name)}`;
    // A long-poll outlives the ordinary timeout: the server answers within the wait (≤ 60 s).
    const opts = wait === undefined ? {} : { query: { wait }, signal, timeout: false };
    return (await this.request<OperationResource>('GET', path, opts)).body;
  }

  /** `POST /v1beta/{name}:cancel`; returns the surface's answer (`{}` for batches and videos). */
  async cancelOperation(name: string): Promise<OperationResource | Record<string, never>> {
    return (
      await this.request<OperationResource | Record<string, never>>('POST', `/v1beta/${resourcePath(name)}:cancel`, {
        body: {},
      })
    ).body;
  }

  // --- replay and signing keys ------------------------------------------------------------

  async replayWebhook(webhookId: string, input: ReplayInput): Promise<ReplayWebhookResponse> {
    const path = `/v1beta/webhooks/${id(webhookId)}:replay`;
    return (await this.request<ReplayWebhookResponse>('POST', path, { body: input })).body;
  }

  async listSigningKeys(): Promise<SigningKeyList> {
    return (await this.request<SigningKeyList>('GET', '/v1beta/signingKeys')).body;
  }

  async rotateSigningKeys(alg?: SigningKeyAlgorithm): Promise<SigningKeyList> {
    const body = alg ? { alg } : {};
    return (await this.request<SigningKeyList>('POST', '/v1beta/signingKeys:rotate', { body })).body;
  }

  /** `GET /.well-known/jwks.json` (public, no key needed). */
  async getJwks(): Promise<Jwks> {
    return (await this.request<Jwks>('GET', '/.well-known/jwks.json')).body;
  }

  // --- API keys ---------------------------------------------------------------------------

  async createApiKey(name: string): Promise<CreatedApiKey> {
    return (await this.request<CreatedApiKey>('POST', '/v1beta/apiKeys', { body: { name } })).body;
  }

  async listApiKeys(): Promise<ApiKeyList> {
    return (await this.request<ApiKeyList>('GET', '/v1beta/apiKeys')).body;
  }

  async revokeApiKey(keyId: string, force = false): Promise<ApiKey> {
    const query = force ? { force: 'true' } : {};
    return (await this.request<ApiKey>('DELETE', `/v1beta/apiKeys/${id(keyId)}`, { query })).body;
  }

  // --- listeners (herald listen) ----------------------------------------------------------

  async createListener(input: { subscribed_events: string[]; name?: string | undefined }): Promise<Listener> {
    return (await this.request<Listener>('POST', '/v1beta/listeners', { body: input })).body;
  }

  /** Opens a listener's delivery stream (Server-Sent Events); read it with `readSse`. */
  async streamListener(listenerId: string, signal?: AbortSignal): Promise<Response> {
    return this.open('GET', `/v1beta/listeners/${id(listenerId)}:stream`, {
      headers: { accept: 'text/event-stream' },
      signal,
      timeout: false,
    });
  }

  async reportListenerDelivery(listenerId: string, deliveryId: string, report: ListenerReport): Promise<void> {
    const path = `/v1beta/listeners/${id(listenerId)}/deliveries/${id(deliveryId)}:report`;
    await this.request('POST', path, { body: report });
  }

  async deleteListener(listenerId: string): Promise<void> {
    await this.request('DELETE', `/v1beta/listeners/${id(listenerId)}`);
  }
}
