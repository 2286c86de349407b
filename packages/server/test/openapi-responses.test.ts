import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Batch, File, Interaction, Listener, Operation, VideoOperation } from '@herald/contracts';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';

/**
 * Every route in `/openapi.json` declares what a success answers, so the document describes the
 * whole API and Fastify serializes each JSON answer by its schema. A route may only go without
 * a 2xx schema when it is listed here with the reason.
 */
const EXEMPT: Readonly<Record<string, string>> = {};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface MediaType {
  schema?: Record<string, unknown>;
}
interface Response {
  description?: string;
  content?: Record<string, MediaType>;
}
interface Spec {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], { responses?: Record<string, Response> }>>>;
  components?: { schemas?: Record<string, unknown> };
}

/** The routes (`GET /v1beta/operations/{id}`) of a spec whose 2xx answers carry no schema. */
function routesWithoutResponseSchema(spec: Spec): string[] {
  const missing: string[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const ok = Object.entries(op.responses ?? {}).some(
        ([code, r]) =>
          /^2\d\d$/.test(code) &&
          Object.values(r.content ?? {}).some((m) => m.schema !== undefined && Object.keys(m.schema).length > 0),
      );
      if (!ok) missing.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return missing;
}

let h: TestHerald;
let spec: Spec;
beforeAll(async () => {
  h = await startTestHerald();
  spec = (await (await fetch(`${h.url}/openapi.json`)).json()) as Spec;
});
afterAll(async () => {
  await h.close();
});

describe('/openapi.json describes every response', () => {
  it('lists the API surfaces', () => {
    const routes = Object.keys(spec.paths);
    expect(routes.length).toBeGreaterThan(40);
    for (const p of [
      '/v1beta/operations/{id}',
      '/v1beta/batches/{id}',
      '/v1beta/interactions/{id}',
      '/v1beta/models/{model}/operations/{id}',
      '/v1beta/files/{id}',
      '/v1beta/listeners/{id}',
      '/upload/v1beta/files',
    ])
      expect(routes).toContain(p);
  });

  it('every route declares a 2xx response schema (or is exempt, with a reason)', () => {
    const missing = routesWithoutResponseSchema(spec).filter((r) => !(r in EXEMPT));
    expect(missing).toEqual([]);
  });

  it.each([
    ['get', '/v1beta/operations/{id}', Operation],
    ['post', '/v1beta/operations/{id}:heartbeat', Operation],
    ['get', '/v1beta/batches/{id}', Batch],
    ['get', '/v1beta/interactions/{id}', Interaction],
    ['get', '/v1beta/models/{model}/operations/{id}', VideoOperation],
    ['get', '/v1beta/files/{id}', File],
    ['get', '/v1beta/listeners/{id}', Listener],
  ] as const)('%s %s answers the @herald/contracts resource', (method, path, contract) => {
    const schema = spec.paths[path]?.[method]?.responses?.['200']?.content?.['application/json']?.schema;
    expect(Object.keys(schema?.properties ?? {})).toEqual(Object.keys(contract.properties));
  });

  it('the checker itself flags a route without a 2xx schema', () => {
    const bad: Spec = {
      paths: {
        '/a': { get: { responses: { '200': { description: 'Default Response' } } } },
        '/b': { post: { responses: { '200': { content: { 'application/json': { schema: { type: 'object' } } } } } } },
        '/c': { delete: { responses: { '404': { content: { 'application/json': { schema: { type: 'object' } } } } } } },
      },
    };
    expect(routesWithoutResponseSchema(bad)).toEqual(['GET /a', 'DELETE /c']);
  });
});
