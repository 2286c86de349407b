import { badRequest, type ErrorDetail } from './error-details.js';
import type { ValidationIssue } from './validation-message.js';

/** `/batch/requests/0/x` → `batch.requests[0].x`, as Google writes field paths. */
function dotted(instancePath: string, extra?: string): string {
  const parts = [...instancePath.split('/').filter(Boolean), ...(extra !== undefined ? [extra] : [])];
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * The `BadRequest` detail of a schema validation failure: one field violation per distinct field
 * Ajv reported, `field` being its path in the body (or the query parameter's name) and
 * `description` the sentence of `validationMessage` for that field. Empty when no field is known
 * (the whole body is wrong), so the caller sends no detail.
 */
export function validationDetails(
  issues: readonly ValidationIssue[],
  describe: (issues: readonly ValidationIssue[]) => string,
): ErrorDetail[] {
  const byField = new Map<string, ValidationIssue[]>();
  for (const issue of issues) {
    const extra =
      issue.keyword === 'required'
        ? String(issue.params.missingProperty)
        : issue.keyword === 'additionalProperties'
          ? String(issue.params.additionalProperty)
          : undefined;
    const field = dotted(issue.instancePath, extra);
    if (field === '') continue;
    byField.set(field, [...(byField.get(field) ?? []), issue]);
  }
  if (byField.size === 0) return [];
  return [badRequest([...byField].map(([field, own]) => ({ field, description: describe(own) })))];
}
