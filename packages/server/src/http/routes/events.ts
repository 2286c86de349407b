import { Event, EventList } from '@herald/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { invalidArgument } from '../api-error.js';
import type { EventService } from '../../services/event-service.js';
import { decodePageToken, encodePageToken, parsePageSize } from '../page-token.js';
import { checkIdempotentReplay } from '../idempotent-replay.js';
import { presentEvent } from '../present.js';

const EmitBody = Type.Object(
  {
    type: Type.String({ description: 'A catalog event type or a custom dotted type' }),
    data: Type.Record(Type.String(), Type.Unknown(), { description: 'The event data (at most 256 KiB)' }),
  },
  { additionalProperties: false },
);

const BatchBody = Type.Object(
  {
    requests: Type.Array(
      Type.Object(
        {
          type: Type.String({ description: 'A catalog event type or a custom dotted type' }),
          data: Type.Record(Type.String(), Type.Unknown(), { description: 'The event data (at most 256 KiB)' }),
          idempotency_key: Type.Optional(
            Type.String({ description: 'Emit at most once per key: a repeat returns the original event' }),
          ),
        },
        { additionalProperties: false },
      ),
      { description: '1 to 1000 events, emitted in one transaction in this order' },
    ),
  },
  { additionalProperties: false },
);

export interface EventRoutesOptions {
  events: EventService;
}

/** Emit events (with Idempotency-Key) and page through the project's event log. */
export const eventRoutes: FastifyPluginAsyncTypebox<EventRoutesOptions> = async (app, { events }) => {
  const tags = ['events'];

  app.post(
    '/events',
    {
      schema: {
        tags,
        summary: 'Emit an event to every subscribed webhook',
        body: EmitBody,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        response: { 200: Event },
      },
    },
    async (req, reply) => {
      const key = req.headers['idempotency-key'];
      const { event, duplicate } = await events.emit(req.projectId, {
        type: req.body.type,
        data: req.body.data,
        ...(key !== undefined ? { idempotencyKey: key } : {}),
      });
      if (duplicate && key !== undefined) checkIdempotentReplay(event, req.body, key);
      if (duplicate) void reply.header('idempotent-replayed', 'true');
      return presentEvent(event);
    },
  );

  app.post(
    '/events::batchCreate',
    {
      schema: {
        tags,
        summary: 'Emit up to 1,000 events at once: all or nothing, one transaction, answered in request order',
        body: BatchBody,
        response: { 200: Type.Object({ events: Type.Array(Event) }) },
      },
    },
    async (req) => {
      const results = await events.emitMany(
        req.projectId,
        req.body.requests.map((r) => ({
          type: r.type,
          data: r.data,
          ...(r.idempotency_key !== undefined ? { idempotencyKey: r.idempotency_key } : {}),
        })),
      );
      return { events: results.map((r) => presentEvent(r.event)) };
    },
  );

  app.get(
    '/events',
    {
      schema: {
        tags,
        summary: 'Page through the event log in order (polling fallback)',
        querystring: Type.Object({
          after: Type.Optional(Type.String({ description: 'Sequence cursor: return events after it' })),
          types: Type.Optional(Type.String({ description: 'Comma-separated event types' })),
          page_size: Type.Optional(Type.String()),
          page_token: Type.Optional(Type.String()),
          key: Type.Optional(Type.String()),
        }),
        response: { 200: EventList },
      },
    },
    async (req) => {
      const q = req.query;
      const pageSize = parsePageSize(q.page_size, 100, 1000);
      let after = 0;
      if (q.page_token) after = decodePageToken<{ s: number }>(q.page_token, { s: 'number' }).s;
      else if (q.after !== undefined && q.after !== '') {
        after = Number(q.after);
        if (!Number.isInteger(after) || after < 0)
          throw invalidArgument(`after must be an event sequence number, got "${q.after}"`);
      }
      const types = q.types
        ? q.types
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean)
        : undefined;
      const rows = await events.list(req.projectId, { afterSequence: after, pageSize, ...(types ? { types } : {}) });
      const last = rows.at(-1);
      return {
        events: rows.map(presentEvent),
        ...(rows.length === pageSize && last ? { next_page_token: encodePageToken({ s: last.sequence }) } : {}),
      };
    },
  );

  app.get(
    '/events/:id',
    { schema: { tags, summary: 'Get an event', params: Type.Object({ id: Type.String() }), response: { 200: Event } } },
    async (req) => presentEvent(await events.get(req.projectId, req.params.id)),
  );
};
