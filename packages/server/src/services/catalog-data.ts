/**
 * The `data` each catalog event type carries, as Herald itself emits it (operations/kinds.ts,
 * gemini/kinds.ts): checked when a client emits a catalog type through `POST /events`, so that a
 * receiver can trust the catalog (an `operation.succeeded` always has its `id` and `kind`).
 * @module
 */

type FieldType = 'string' | 'string|number' | 'object';

const ID = { id: 'string' } as const;
const ERROR = { error_code: 'string|number', error_message: 'string' } as const;
const OP = { id: 'string', kind: 'string' } as const;

export const CATALOG_DATA: Readonly<Record<string, Readonly<Record<string, FieldType>>>> = {
  'batch.succeeded': ID,
  'batch.failed': { ...ID, ...ERROR },
  'batch.cancelled': ID,
  'batch.expired': ID,
  'interaction.requires_action': ID,
  'interaction.completed': ID,
  'interaction.failed': { ...ID, ...ERROR },
  'interaction.cancelled': ID,
  'video.generated': ID,
  'operation.succeeded': OP,
  'operation.failed': { ...OP, ...ERROR },
  'operation.cancelled': OP,
  'operation.progress': { ...OP, progress: 'object' },
};

function matches(value: unknown, type: FieldType): boolean {
  if (type === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  if (type === 'string|number') return typeof value === 'string' || typeof value === 'number';
  return typeof value === 'string';
}

/** What is wrong with `data` for catalog type `type` (a sentence naming the field), or undefined. */
export function catalogDataProblem(type: string, data: Record<string, unknown>): string | undefined {
  const fields = CATALOG_DATA[type];
  if (!fields) return undefined;
  const example = JSON.stringify(Object.fromEntries(Object.entries(fields).map(([k, t]) => [k, sample(t)])));
  for (const [name, t] of Object.entries(fields)) {
    const value = data[name];
    if (value === undefined)
      return `data.${name} is required for ${type} events (the catalog's data is at least ${example})`;
    if (!matches(value, t)) return `data.${name} of a ${type} event must be a ${t.replace('|', ' or ')}`;
  }
  return undefined;
}

function sample(t: FieldType): unknown {
  if (t === 'object') return {};
  if (t === 'string|number') return 'CODE';
  return '…';
}
