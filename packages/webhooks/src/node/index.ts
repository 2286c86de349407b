/**
 * `@herald/webhooks/node`: the `node:http` adapter.
 * @module
 */

export { toNodeHandler, sendNodeResponse } from './node-handler.js';
export type { NodeHandlerOptions } from './node-handler.js';
export { readRawBody } from './read-raw-body.js';
