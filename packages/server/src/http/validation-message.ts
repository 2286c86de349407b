/** The parts of an Ajv error this formatter reads. */
export interface ValidationIssue {
  keyword: string;
  instancePath: string;
  message?: string | undefined;
  params: Record<string, unknown>;
}

function fieldPath(context: string, instancePath: string, extra?: string): string {
  const parts = instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
  const full = [parts, extra].filter(Boolean).join(parts && extra ? '.' : '');
  const where = context === 'body' ? 'field' : context === 'querystring' ? 'query parameter' : context;
  return full ? `${where} "${full}"` : context === 'body' ? 'request body' : where;
}

/** Turns Ajv's first error into a sentence that says which field is wrong and how to fix it. */
export function validationMessage(context: string, issues: readonly ValidationIssue[]): string {
  const issue = issues[0];
  if (!issue) return `Invalid ${context}`;
  const p = issue.params;
  switch (issue.keyword) {
    case 'additionalProperties':
      return `Invalid ${context}: unknown ${fieldPath(context, issue.instancePath, String(p.additionalProperty))}; remove it`;
    case 'required':
      return `Invalid ${context}: ${fieldPath(context, issue.instancePath, String(p.missingProperty))} is required`;
    case 'const': {
      // A union of literals fails once per literal (then `anyOf`): name them all.
      const allowed = issues
        .filter((i) => i.keyword === 'const' && i.instancePath === issue.instancePath)
        .map((i) => String(i.params.allowedValue));
      return `Invalid ${context}: ${fieldPath(context, issue.instancePath)} must be ${allowed.length > 1 ? 'one of: ' : ''}${allowed.join(', ')}`;
    }
    case 'enum':
      return `Invalid ${context}: ${fieldPath(context, issue.instancePath)} must be one of: ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'type':
      return `Invalid ${context}: ${fieldPath(context, issue.instancePath)} must be of type ${String(p.type)}`;
    default:
      return `Invalid ${context}: ${fieldPath(context, issue.instancePath)} ${issue.message ?? 'is invalid'}`;
  }
}
