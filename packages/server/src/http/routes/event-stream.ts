import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Clock } from '../../kernel/clock.js';
import { invalidArgument } from '../api-error.js';
import type { EventFeed } from '../../services/event-feed.js';
import type { EventService } from '../../services/event-service.js';
import { openEventStream, type EventStream } from '../sse/event-stream.js';
import type { KeyStreams } from '../key-streams.js';

export interface EventStreamRoutesOptions {
  events: Pick<EventService, 'list'>;
  feed: EventFeed;
  clock: Clock;
  /** Ends a stream when the key that opened it is revoked. */
  keyStreams?: KeyStreams;
  /** Interval of the `: heartbeat` comment. Default 15 s. */
  heartbeatMs?: number;
}

function cursor(raw: string | undefined, what: string): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw.trim());
  if (!Number.isSafeInteger(n) || n < 0)
    throw invalidArgument(`${what} must be an event sequence number, got "${raw}"`);
  return n;
}

/**
 * `GET /events:stream`: the project's event log as Server-Sent Events (`id: <sequence>`,
 * `event: <type>`, `data: <the Event resource>`). Resumes after the `Last-Event-ID` header (sent
 * by EventSource on reconnect) or else `?after=`; `?types=a,b` filters. Open streams are ended
 * when the server closes.
 */
export const eventStreamRoutes: FastifyPluginAsyncTypebox<EventStreamRoutesOptions> = async (app, opts) => {
  const open = new Set<EventStream>();
  app.addHook('preClose', async () => {
    for (const s of open) s.close();
  });

  app.get(
    '/events::stream',
    {
      schema: {
        tags: ['events'],
        summary: 'Stream the event log as Server-Sent Events (text/event-stream), resumable',
        querystring: Type.Object({
          after: Type.Optional(Type.String({ description: 'Start after this sequence (default 0: everything)' })),
          types: Type.Optional(Type.String({ description: 'Comma-separated event types' })),
          key: Type.Optional(Type.String()),
        }),
        headers: Type.Object({
          'last-event-id': Type.Optional(Type.String({ description: 'Resume after this sequence; wins over ?after' })),
        }),
        response: {
          200: {
            description:
              'text/event-stream: "id: <sequence>", "event: <type>", "data: <an Event>" per event; ": heartbeat" comments',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
        },
      },
    },
    async (req, reply) => {
      const after = cursor(req.headers['last-event-id'], 'Last-Event-ID') ?? cursor(req.query.after, 'after') ?? 0;
      const types = req.query.types
        ?.split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      reply.hijack();
      const stream = openEventStream({
        res: reply.raw,
        events: opts.events,
        feed: opts.feed,
        clock: opts.clock,
        projectId: req.projectId,
        after,
        ...(types && types.length > 0 ? { types } : {}),
        heartbeatMs: opts.heartbeatMs ?? 15_000,
        pageSize: 500,
        onError: (err) => req.log.error({ err }, 'event stream failed'),
      });
      open.add(stream);
      const untrack = opts.keyStreams?.track(req.projectId, req.apiKeyId, () => stream.close(), req.isAdmin);
      void stream.closed.then(() => {
        open.delete(stream);
        untrack?.();
      });
    },
  );
};
