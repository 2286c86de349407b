import { createHash } from 'node:crypto';
import type { QueryConfig } from 'pg';

/** Statement texts named so far (text → name); bounded, so generated texts cannot grow it forever. */
const names = new Map<string, string>();
const MAX_NAMED = 2_000;
/** Texts whose cached plan went stale once (a migration changed a table under it): never named again. */
const unnamed = new Set<string>();

/**
 * A parameterized statement as a named prepared statement (ADR 0013): each pooled connection parses
 * a text once, and PostgreSQL may keep its plan, instead of parsing and planning every execution.
 * Measured on the delivery path, planning alone was a third of the statement time. The name is a
 * hash of the text, so every process and connection agrees on it. Statements without parameters
 * (`BEGIN`, `COMMIT`, several statements in one string) stay simple queries.
 */
export function prepared(text: string, values: readonly unknown[]): QueryConfig | string {
  if (values.length === 0) return text;
  if (unnamed.has(text)) return { text, values: values as unknown[] };
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= MAX_NAMED) return { text, values: values as unknown[] };
    name = `h_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    names.set(text, name);
  }
  return { name, text, values: values as unknown[] };
}

/**
 * A prepared statement whose result type changed under it (a newer process migrated the schema
 * while this one ran) fails with `0A000 cached plan must not change result type`. Its text is then
 * never named again, and the caller reruns: the statement is parsed afresh.
 */
export function isStalePlan(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { code?: unknown }).code === '0A000' &&
    String((err as { message?: unknown }).message).includes('cached plan')
  );
}

export function forgetPrepared(text: string): void {
  names.delete(text);
  unnamed.add(text);
}
