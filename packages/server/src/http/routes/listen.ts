import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Empty, Listener } from '@herald/contracts';
import type { Clock } from '../../kernel/clock.js';
import type { KeyStreams } from '../key-streams.js';
import { ApiError, failedPrecondition, invalidArgument } from '../api-error.js';
import type { ListenerPush } from '../../services/listener-hub.js';
import type { ListenerService } from '../../services/listener-service.js';
import { checkName, checkSubscribedEvents } from '../../services/validate-webhook-input.js';

export interface ListenRoutesOptions {
  /** Absent when this process does not run the delivery engine next to the API. */
  listeners: ListenerService | undefined;
  clock: Clock;
  /** Ends a stream when the key that opened it is revoked. */
  keyStreams?: KeyStreams;
  /** Interval of the `: heartbeat` comment on listener streams. Default 15 s. */
  heartbeatMs?: number;
}

const Id = Type.Object({ id: Type.String() });
const Events = Type.Array(Type.String(), { minItems: 1, maxItems: 100 });

/**
 * `herald listen`: temporary destinations whose deliveries are pushed to the CLI over a stream
 * instead of over HTTP, for receivers Herald cannot reach (a laptop behind NAT). The CLI forwards
 * each delivery to the local URL with the original headers and body, and reports the answer back,
 * so retries, attempt logs and endpoint health stay true.
 */
export const listenRoutes: FastifyPluginAsyncTypebox<ListenRoutesOptions> = async (app, opts) => {
  const tags = ['listeners'];
  const service = () => {
    if (!opts.listeners)
      throw failedPrecondition(
        'herald listen needs the API and the delivery engine in one process (HERALD_ROLE=all); this one runs only the API',
      );
    return opts.listeners;
  };
  const streams = new Set<() => void>();
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    for (const end of streams) end();
  });

  app.post(
    '/listeners',
    {
      schema: {
        tags,
        summary: 'Register a temporary destination for herald listen (its signing secret is returned once)',
        body: Type.Object(
          {
            subscribed_events: Type.Optional(Events),
            subscribedEvents: Type.Optional(Events),
            events: Type.Optional(Events),
            name: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Listener },
      },
    },
    async (req) => {
      const b = req.body;
      const events = b.subscribed_events ?? b.subscribedEvents ?? b.events;
      if (events === undefined) throw invalidArgument('subscribed_events is required: the event types to forward');
      return service().create(req.projectId, {
        name: checkName(b.name ?? 'herald listen'),
        events: checkSubscribedEvents(events),
      });
    },
  );

  app.get(
    '/listeners/:id(^[^:/]+)',
    {
      schema: {
        tags,
        summary: 'Get a listener (is a herald listen connected?)',
        params: Id,
        response: { 200: Listener },
      },
    },
    async (req) => service().view(req.projectId, req.params.id),
  );

  app.get(
    '/listeners/:id(^[^:/]+)::stream',
    {
      schema: {
        tags,
        summary: 'The deliveries of a listener, as Server-Sent Events (one "delivery" event per attempt)',
        params: Id,
        querystring: Type.Object({ key: Type.Optional(Type.String()) }),
        response: {
          200: {
            description:
              'text/event-stream: "event: delivery" with a ListenerDelivery as data, per attempt; ": heartbeat" comments',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
        },
      },
    },
    async (req, reply) => {
      const listeners = service();
      const w = await listeners.get(req.projectId, req.params.id);
      // The server began closing during the read: a stream opened now would outlive the preClose
      // hook that ends the others, and hold the close forever.
      if (closing)
        throw new ApiError('UNAVAILABLE', 'Herald is shutting down; connect again', undefined, {
          retryAfterSeconds: 3,
        });
      listeners.track(req.projectId, w);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`: connected\n\n`);
      let ended = false;
      let heartbeat: unknown;
      let untrack: (() => void) | undefined = undefined;
      const beat = () => {
        heartbeat = opts.clock.setTimeout(() => {
          if (ended) return;
          res.write(': heartbeat\n\n');
          beat();
        }, opts.heartbeatMs ?? 15_000);
      };
      const end = () => {
        if (ended) return;
        ended = true;
        opts.clock.clearTimeout(heartbeat);
        disconnect();
        untrack?.();
        streams.delete(end);
        if (!res.writableEnded) res.end();
      };
      const disconnect = listeners.hub.connect(w.uri, {
        push: (m: ListenerPush) => {
          if (ended) throw new Error('the stream is closed');
          res.write(`event: delivery\ndata: ${JSON.stringify(m)}\n\n`);
        },
        close: end,
      });
      streams.add(end);
      untrack = opts.keyStreams?.track(req.projectId, req.apiKeyId, end, req.isAdmin);
      res.on('close', end);
      beat();
    },
  );

  app.post(
    '/listeners/:id/deliveries/:deliveryId(^[^:/]+)::report',
    {
      schema: {
        tags,
        summary: "Report the local receiver's answer to one pushed attempt",
        params: Type.Object({ id: Type.String(), deliveryId: Type.String() }),
        body: Type.Object(
          {
            attempt: Type.Optional(Type.Integer({ minimum: 1 })),
            status_code: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
            duration_ms: Type.Number({ minimum: 0, maximum: 3_600_000 }),
            response_excerpt: Type.Optional(Type.String({ maxLength: 65_536 })),
            error: Type.Optional(
              Type.Object(
                {
                  code: Type.String({ minLength: 1, maxLength: 100 }),
                  message: Type.String({ maxLength: 4096 }),
                },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Empty },
      },
    },
    async (req) => {
      const b = req.body;
      if (b.status_code === undefined && b.error === undefined)
        throw invalidArgument('a report needs status_code (the local answer) or error (why there was none)');
      const listeners = service();
      const w = await listeners.get(req.projectId, req.params.id);
      const taken = listeners.hub.report(w.uri, req.params.deliveryId, {
        statusCode: b.status_code,
        durationMs: b.duration_ms,
        responseExcerpt: b.response_excerpt,
        error: b.error,
      });
      if (!taken)
        throw failedPrecondition(
          `no attempt of delivery "${req.params.deliveryId}" is waiting for a report: it timed out (the attempt ` +
            'was recorded as ETIMEDOUT and is retried on schedule) or was reported already',
        );
      return {};
    },
  );

  app.delete(
    '/listeners/:id(^[^:/]+)',
    {
      schema: {
        tags,
        summary: 'Remove a listener (its webhook and pending deliveries)',
        params: Id,
        response: { 200: Empty },
      },
    },
    async (req) => {
      await service().delete(req.projectId, req.params.id);
      return {};
    },
  );
};
