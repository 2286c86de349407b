import { DELIVERY_STATUSES, Delivery, DeliveryList } from '@herald/contracts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { DeliveryService } from '../../services/delivery-service.js';
import { decodePageToken, encodePageToken, parsePageSize } from '../page-token.js';
import { presentDelivery } from '../present.js';

export interface DeliveryRoutesOptions {
  deliveries: DeliveryService;
}

/** Deliveries and their attempts: list, get, manual retry. */
export const deliveryRoutes: FastifyPluginAsyncTypebox<DeliveryRoutesOptions> = async (app, { deliveries }) => {
  const tags = ['deliveries'];
  const Id = Type.Object({ id: Type.String() });

  app.get(
    '/deliveries',
    {
      schema: {
        tags,
        summary: 'List deliveries, newest first',
        querystring: Type.Object({
          status: Type.Optional(Type.Union(DELIVERY_STATUSES.map((s) => Type.Literal(s)))),
          webhook: Type.Optional(Type.String()),
          event: Type.Optional(Type.String()),
          page_size: Type.Optional(Type.String()),
          page_token: Type.Optional(Type.String()),
          key: Type.Optional(Type.String()),
        }),
        response: { 200: DeliveryList },
      },
    },
    async (req) => {
      const q = req.query;
      const pageSize = parsePageSize(q.page_size, 50, 1000);
      const before = q.page_token ? decodePageToken<{ b: string }>(q.page_token, { b: 'string' }).b : undefined;
      // One row more than the page says whether another page exists (no empty last page).
      const rows = await deliveries.list(req.projectId, {
        pageSize: pageSize + 1,
        ...(q.status ? { status: q.status } : {}),
        ...(q.webhook ? { webhookId: q.webhook } : {}),
        ...(q.event ? { eventId: q.event } : {}),
        ...(before ? { beforeId: before } : {}),
      });
      const page = rows.slice(0, pageSize);
      const last = page.at(-1);
      return {
        deliveries: page.map((d) => presentDelivery(d)),
        ...(rows.length > pageSize && last ? { next_page_token: encodePageToken({ b: last.id }) } : {}),
      };
    },
  );

  app.get(
    '/deliveries/:id',
    { schema: { tags, summary: 'Get a delivery with its attempts', params: Id, response: { 200: Delivery } } },
    async (req) => {
      const found = await deliveries.get(req.projectId, req.params.id);
      return presentDelivery(found.delivery, found.attempts);
    },
  );

  app.post(
    '/deliveries/:id(^[^:/]+)::retry',
    {
      schema: {
        tags,
        summary: 'Attempt a delivery again now (recorded as manual)',
        params: Id,
        response: { 200: Delivery },
      },
    },
    async (req) => {
      return presentDelivery(await deliveries.retry(req.projectId, req.params.id));
    },
  );
};
