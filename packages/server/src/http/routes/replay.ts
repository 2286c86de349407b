import { ReplayWebhookRequest, ReplayWebhookResponse } from '@herald/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { invalidArgument } from '../api-error.js';
import type { ReplayService } from '../../services/replay-service.js';

export interface ReplayRoutesOptions {
  replay: ReplayService;
}

/** `POST /webhooks/{id}:replay`: send a webhook's failed deliveries of a time window again. */
export const replayRoutes: FastifyPluginAsyncTypebox<ReplayRoutesOptions> = async (app, { replay }) => {
  app.post(
    '/webhooks/:id(^[^:/]+)::replay',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Replay a webhook since a time (failed deliveries, or all with only_failed=false)',
        description:
          'Re-enqueues, once each, the deliveries to this webhook of the events created in [since, until): ' +
          'failed and cancelled ones by default, every settled one with only_failed=false, and events that were ' +
          'never queued to it (it was disabled). Same webhook-id and body, trigger "replay". At most 10,000 per call; ' +
          'when truncated, call again with since = next_since. The webhook must be enabled.',
        params: Type.Object({ id: Type.String() }),
        body: ReplayWebhookRequest,
        response: { 200: ReplayWebhookResponse },
      },
    },
    async (req) => {
      const b = req.body;
      if (b.only_failed !== undefined && b.onlyFailed !== undefined && b.only_failed !== b.onlyFailed)
        throw invalidArgument('only_failed and onlyFailed disagree; send one of them');
      const r = await replay.replay(req.projectId, req.params.id, {
        since: b.since,
        until: b.until,
        onlyFailed: b.only_failed ?? b.onlyFailed,
      });
      return {
        replayed: r.replayed,
        requeued: r.requeued,
        created: r.created,
        truncated: r.truncated,
        ...(r.nextSince !== undefined ? { next_since: r.nextSince } : {}),
      };
    },
  );
};
