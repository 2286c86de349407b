/**
 * Fastify adapter.
 * @module
 */

import type { FastifyPluginAsync } from 'fastify';
import type { WebhookReceiver } from '../receiver/create-receiver.js';

/** Options of {@link fastifyWebhooks}. */
export interface FastifyWebhooksOptions {
  /** The receiver to serve. */
  receiver: WebhookReceiver;
  /** Route path. Default `'/webhooks'`. */
  path?: string;
  /** Largest accepted body, in bytes (Fastify answers `413` above it). Default `1_048_576`. */
  maxBodyBytes?: number;
}

/**
 * A Fastify plugin that adds `POST <path>`. Inside its own (encapsulated) context it replaces the
 * content-type parsers with a raw-`Buffer` one, so the signature is checked over the exact bytes
 * while the rest of your app keeps its JSON parsing.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { fastifyWebhooks } from '@herald/webhooks/fastify';
 *
 * const app = Fastify();
 * await app.register(fastifyWebhooks, { receiver, path: '/webhooks' });
 * ```
 */
export const fastifyWebhooks: FastifyPluginAsync<FastifyWebhooksOptions> = async function heraldWebhooks(
  fastify,
  options,
) {
  const { receiver, path = '/webhooks', maxBodyBytes = 1_048_576 } = options;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_request, body, done) => {
    done(null, body);
  });
  fastify.post(path, async (request, reply) => {
    const body = request.body instanceof Uint8Array ? request.body : '';
    const response = await receiver.handle({ body, headers: request.headers });
    return reply.code(response.status).headers(response.headers).send(response.body);
  });
};
