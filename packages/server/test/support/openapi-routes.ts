import type { SeededProject } from './tenant-seed.js';

/** One path + verb of the OpenAPI document. */
export interface DocumentedRoute {
  method: string;
  /** The path template, e.g. `/v1beta/projects/{projectId}/webhooks/{id}:ping`. */
  template: string;
  /** The smallest JSON body its schema accepts (`{}` for a route without one). */
  body: unknown;
}

interface Operation {
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

const VERBS = ['get', 'post', 'patch', 'put', 'delete'];

/** Every path + verb the server's `/openapi.json` documents. */
export async function documentedRoutes(baseUrl: string): Promise<DocumentedRoute[]> {
  const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, Operation>>;
  };
  return Object.entries(doc.paths).flatMap(([template, ops]) =>
    Object.entries(ops)
      .filter(([m]) => VERBS.includes(m))
      .map(([m, op]) => ({
        method: m.toUpperCase(),
        template,
        body: sampleBody(op.requestBody?.content?.['application/json']?.schema),
      })),
  );
}

/** The routes of the admin plane (projects themselves, portal sessions, signing-key rotation). */
export function isAdminRoute(template: string): boolean {
  return (
    /^\/v1(beta)?\/projects(\/\{projectId\}(:createPortalSession)?)?$/.test(template) ||
    template.endsWith('signingKeys:rotate')
  );
}

/** Routes that concern no project (health, readiness, the instance's JWKS). */
export function isInstanceRoute(template: string): boolean {
  return !/^\/v1(beta)?\//.test(template);
}

/** `true` for a template under `/projects/{projectId}/`. */
export const isPrefixed = (template: string) => template.includes('/projects/{projectId}/');

/** `true` when the route names one resource of the project (a path parameter other than the project or model). */
export const namesResource = (template: string) => /\{(id|deliveryId)\}/.test(template);

const BY_COLLECTION: Record<string, keyof SeededProject> = {
  webhooks: 'webhook',
  events: 'event',
  deliveries: 'delivery',
  apiKeys: 'apiKey',
  listeners: 'listener',
  operations: 'operation',
  batches: 'batch',
  interactions: 'interaction',
  files: 'file',
};

/**
 * Fills a template's path parameters with `owner`'s resource ids (the resource a `{id}` names is
 * the collection before it; `models/{model}/operations/{id}` is the owner's video operation) and
 * `{projectId}` with `projectId`.
 */
export function fillPath(template: string, owner: SeededProject, projectId: string): string {
  const parts = template.split('/');
  return parts
    .map((part, i) => {
      const collection = parts[i - 1] ?? '';
      return part
        .replace('{projectId}', projectId)
        .replace('{deliveryId}', owner.delivery)
        .replace('{model}', parts[i + 1] === 'operations' ? owner.videoModel : 'gemini-2.5-flash')
        .replace('{id}', () => {
          if (collection === 'operations' && parts[i - 2] === '{model}') return owner.video;
          const field = BY_COLLECTION[collection];
          if (!field) throw new Error(`no resource for {id} after "${collection}" in ${template}`);
          return owner[field];
        });
    })
    .join('/');
}

interface Schema {
  type?: string | string[];
  format?: string;
  minimum?: number;
  minLength?: number;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
}

/** Fields whose rules the schema does not spell out (formats checked by the service). */
const FIELD_SAMPLES: Record<string, unknown> = {
  since: '2020-01-01T00:00:00Z',
  revocation_behavior: 'revoke_previous_secrets_immediately',
  status_code: 200,
};

/**
 * The smallest body a schema accepts: its required fields (or, with none, its first field), each
 * with a placeholder of its type, plus the known fields of FIELD_SAMPLES it has. A route whose body is valid can only refuse a foreign id by not
 * finding it, never by a validation error that comes first.
 */
export function sampleBody(schema: Schema | undefined): unknown {
  if (!schema) return {};
  const alt = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (alt) return sampleBody(alt);
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'string')
    return schema.format === 'date-time' ? '2020-01-01T00:00:00Z' : 'x'.repeat(Math.max(1, schema.minLength ?? 1));
  if (type === 'integer' || type === 'number') return schema.minimum ?? 1;
  if (type === 'boolean') return false;
  if (type === 'array') return [];
  const props = schema.properties ?? {};
  const names = new Set(schema.required?.length ? schema.required : Object.keys(props).slice(0, 1));
  for (const n of Object.keys(props)) if (n in FIELD_SAMPLES) names.add(n);
  return Object.fromEntries([...names].map((n) => [n, n in FIELD_SAMPLES ? FIELD_SAMPLES[n] : sampleBody(props[n])]));
}
