/**
 * `@herald/webhooks/fastify`: the Fastify adapter.
 * @module
 */

export { fastifyWebhooks } from './fastify-plugin.js';
export type { FastifyWebhooksOptions } from './fastify-plugin.js';
