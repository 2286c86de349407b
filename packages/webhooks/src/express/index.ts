/**
 * `@herald/webhooks/express`: the Express adapter.
 * @module
 */

export { expressWebhookHandler } from './express-handler.js';
export type { ExpressHandlerOptions, ExpressLikeRequest } from './express-handler.js';
