import { RotateSigningSecretResponse, Webhook, WebhookList } from '@herald/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { invalidArgument } from '../api-error.js';
import type { WebhookPatch } from '../../model/records.js';
import { checkUri, type UrlPolicy } from '../../delivery/transport/check-destination-uri.js';
import { checkName, checkRevocationBehavior, checkSubscribedEvents } from '../../services/validate-webhook-input.js';
import { WebhookService } from '../../services/webhook-service.js';
import { readUpdateMask } from '../update-mask.js';
import { decodePageToken, encodePageToken, parsePageSize } from '../page-token.js';
import { presentWebhook } from '../present.js';

const Id = Type.Object({ id: Type.String() });
const Events = Type.Array(Type.String(), { description: 'Catalog event types or custom dotted types' });
const CreateBody = Type.Object(
  {
    name: Type.Optional(Type.String()),
    uri: Type.Optional(Type.String()),
    subscribed_events: Type.Optional(Events),
    subscribedEvents: Type.Optional(Events),
  },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(
  {
    name: Type.Optional(Type.String()),
    uri: Type.Optional(Type.String()),
    subscribed_events: Type.Optional(Events),
    subscribedEvents: Type.Optional(Events),
    state: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
const Empty = Type.Object({});
/** What a ping did: the `webhook.ping` event and the delivery it queued (its attempts are under /deliveries/{id}). */
const PingResponse = Type.Object({
  event_id: Type.String(),
  message_id: Type.String({ description: 'The webhook-id header the receiver gets' }),
  delivery_id: Type.Optional(Type.String()),
});
const MASKABLE = ['name', 'uri', 'subscribed_events', 'state'] as const;

export interface WebhookRoutesOptions {
  webhooks: WebhookService;
  urlPolicy: UrlPolicy;
}

/** The Gemini-compatible WebhookService, field for field (see docs/gemini-compat.md). */
export const webhookRoutes: FastifyPluginAsyncTypebox<WebhookRoutesOptions> = async (app, { webhooks, urlPolicy }) => {
  const tags = ['webhooks'];

  app.post(
    '/webhooks',
    { schema: { tags, summary: 'Create a webhook', body: CreateBody, response: { 200: Webhook } } },
    async (req) => {
      const b = req.body;
      const events = b.subscribed_events ?? b.subscribedEvents;
      if (b.uri === undefined) throw invalidArgument('uri is required: the URL that receives the events');
      if (events === undefined) throw invalidArgument('subscribed_events is required: the event types to deliver');
      const { webhook, secret } = await webhooks.create(req.projectId, {
        name: checkName(b.name ?? ''),
        uri: checkUri(b.uri, urlPolicy),
        subscribedEvents: checkSubscribedEvents(events),
      });
      return presentWebhook(webhook, secret);
    },
  );

  app.get(
    '/webhooks',
    {
      schema: {
        tags,
        summary: 'List webhooks',
        querystring: Type.Object({
          page_size: Type.Optional(Type.String()),
          pageSize: Type.Optional(Type.String()),
          page_token: Type.Optional(Type.String()),
          pageToken: Type.Optional(Type.String()),
          key: Type.Optional(Type.String()),
        }),
        response: { 200: WebhookList },
      },
    },
    async (req) => {
      const q = req.query;
      const pageSize = parsePageSize(q.page_size ?? q.pageSize, 50, 1000);
      const token = q.page_token ?? q.pageToken;
      const after = token ? decodePageToken<{ c: number; i: string }>(token, { c: 'number', i: 'string' }) : undefined;
      const rows = await webhooks.list(
        req.projectId,
        pageSize + 1,
        after ? { createdAt: after.c, id: after.i } : undefined,
      );
      const page = rows.slice(0, pageSize);
      const last = page.at(-1);
      return {
        webhooks: page.map((w) => presentWebhook(w)),
        ...(rows.length > pageSize && last
          ? { next_page_token: encodePageToken({ c: last.createdAt, i: last.id }) }
          : {}),
      };
    },
  );

  app.get(
    '/webhooks/:id',
    { schema: { tags, summary: 'Get a webhook', params: Id, response: { 200: Webhook } } },
    async (req) => presentWebhook(await webhooks.get(req.projectId, req.params.id)),
  );

  app.patch(
    '/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Update a webhook (update_mask optional)',
        params: Id,
        querystring: Type.Object({
          update_mask: Type.Optional(Type.String()),
          updateMask: Type.Optional(Type.String()),
          key: Type.Optional(Type.String()),
        }),
        body: UpdateBody,
        response: { 200: Webhook },
      },
    },
    async (req) => {
      const b = req.body;
      const body = { ...b, subscribed_events: b.subscribed_events ?? b.subscribedEvents };
      const fields = readUpdateMask(req.query.update_mask ?? req.query.updateMask, body, MASKABLE);
      const patch: WebhookPatch = {};
      for (const f of fields) {
        const v = body[f];
        if (f === 'name') patch.name = checkName(typeof v === 'string' ? v : '');
        else if (v === undefined) throw invalidArgument(`update_mask names "${f}" but the body has no value for it`);
        else if (f === 'uri') patch.uri = checkUri(v as string, urlPolicy);
        else if (f === 'subscribed_events') patch.subscribedEvents = checkSubscribedEvents(v as string[]);
        else {
          const s = (v as string).toLowerCase();
          if (s !== 'enabled' && s !== 'disabled')
            throw invalidArgument(`state "${String(v)}" cannot be set; allowed: enabled, disabled`);
          patch.state = s;
        }
      }
      if (fields.length === 0) throw invalidArgument(`nothing to update: send at least one of ${MASKABLE.join(', ')}`);
      return presentWebhook(await webhooks.update(req.projectId, req.params.id, patch));
    },
  );

  app.delete(
    '/webhooks/:id',
    { schema: { tags, summary: 'Delete a webhook', params: Id, response: { 200: Empty } } },
    async (req) => {
      await webhooks.delete(req.projectId, req.params.id);
      return {};
    },
  );

  app.post(
    '/webhooks/:id(^[^:/]+)::ping',
    { schema: { tags, summary: 'Send a signed webhook.ping', params: Id, response: { 200: PingResponse } } },
    async (req) => {
      const { event, delivery } = await webhooks.ping(req.projectId, req.params.id);
      return {
        event_id: event.id,
        message_id: event.messageId,
        ...(delivery ? { delivery_id: delivery.id } : {}),
      };
    },
  );

  const RotateBody = Type.Union([
    Type.Object(
      {
        revocation_behavior: Type.Optional(Type.String()),
        revocationBehavior: Type.Optional(Type.String()),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ]);
  const rotate = async (req: { projectId: string; params: { id: string }; body: unknown }) => {
    const b = (req.body ?? {}) as { revocation_behavior?: string; revocationBehavior?: string };
    const behavior = checkRevocationBehavior(b.revocation_behavior ?? b.revocationBehavior);
    const { secret } = await webhooks.rotate(req.projectId, req.params.id, behavior);
    return { secret };
  };
  const rotateSchema = {
    tags,
    summary: 'Rotate the signing secret',
    params: Id,
    body: RotateBody,
    response: { 200: RotateSigningSecretResponse },
  };
  app.post('/webhooks/:id(^[^:/]+)::rotateSigningSecret', { schema: rotateSchema }, rotate);
  app.post('/webhooks/:id/rotate_secret', { schema: rotateSchema }, rotate);
};
