import { describe, expect, it } from 'vitest';
import { validationDetails } from './validation-details.js';
import { validationMessage, type ValidationIssue } from './validation-message.js';

const describeBody = (own: readonly ValidationIssue[]) => validationMessage('body', own);

describe('validationDetails', () => {
  it('names each field Ajv reported, with a dotted path and its own sentence', () => {
    const issues: ValidationIssue[] = [
      { keyword: 'required', instancePath: '/batch', params: { missingProperty: 'input_config' } },
      { keyword: 'type', instancePath: '/batch/requests/0/metadata', params: { type: 'object' } },
      { keyword: 'additionalProperties', instancePath: '', params: { additionalProperty: 'url' } },
    ];
    expect(validationDetails(issues, describeBody)).toEqual([
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: [
          { field: 'batch.input_config', description: 'Invalid body: field "batch.input_config" is required' },
          {
            field: 'batch.requests[0].metadata',
            description: 'Invalid body: field "batch.requests[0].metadata" must be of type object',
          },
          { field: 'url', description: 'Invalid body: unknown field "url"; remove it' },
        ],
      },
    ]);
  });

  it('sends no detail when no field is known (the body itself is wrong)', () => {
    expect(
      validationDetails([{ keyword: 'type', instancePath: '', params: { type: 'object' } }], describeBody),
    ).toEqual([]);
  });
});
