import { describe, expect, it } from 'vitest';
import { validationMessage, type ValidationIssue } from './validation-message.js';

const issue = (keyword: string, instancePath: string, params: Record<string, unknown>, message?: string) =>
  ({ keyword, instancePath, params, message }) as ValidationIssue;

describe('validationMessage', () => {
  it('names every literal of a union that failed (Ajv reports one const error per branch, then anyOf)', () => {
    const issues = [
      issue('const', '/status', { allowedValue: 'pending' }),
      issue('const', '/status', { allowedValue: 'succeeded' }),
      issue('const', '/status', { allowedValue: 'failed' }),
      issue('anyOf', '/status', {}),
    ];
    expect(validationMessage('querystring', issues)).toBe(
      'Invalid querystring: query parameter "status" must be one of: pending, succeeded, failed',
    );
  });

  it('states a single constant as it is', () => {
    expect(validationMessage('body', [issue('const', '/kind', { allowedValue: 'batch' })])).toBe(
      'Invalid body: field "kind" must be batch',
    );
  });

  it('says which field is unknown, missing or of the wrong type', () => {
    expect(validationMessage('body', [issue('additionalProperties', '', { additionalProperty: 'url' })])).toBe(
      'Invalid body: unknown field "url"; remove it',
    );
    expect(validationMessage('body', [issue('required', '', { missingProperty: 'uri' })])).toBe(
      'Invalid body: field "uri" is required',
    );
    expect(validationMessage('body', [issue('type', '/subscribed_events/0', { type: 'string' })])).toBe(
      'Invalid body: field "subscribed_events[0]" must be of type string',
    );
    expect(validationMessage('body', [issue('enum', '/state', { allowedValues: ['a', 'b'] })])).toBe(
      'Invalid body: field "state" must be one of: a, b',
    );
  });

  it("falls back to Ajv's message, then to a generic one", () => {
    expect(validationMessage('body', [issue('maxLength', '/name', {}, 'must NOT have more than 3 characters')])).toBe(
      'Invalid body: field "name" must NOT have more than 3 characters',
    );
    expect(validationMessage('params', [])).toBe('Invalid params');
  });
});
