import { describe, expect, it } from 'vitest';
import { classifyAttempt, type AttemptClass } from './classify.js';

describe('classifyAttempt', () => {
  const table: [number | undefined, AttemptClass][] = [
    [200, 'success'],
    [201, 'success'],
    [204, 'success'],
    [299, 'success'],
    [300, 'failure'],
    [301, 'failure'],
    [302, 'failure'],
    [304, 'failure'],
    [307, 'failure'],
    [308, 'failure'],
    [100, 'failure'],
    [400, 'failure'],
    [401, 'failure'],
    [404, 'failure'],
    [410, 'gone'],
    [429, 'throttled'],
    [500, 'failure'],
    [501, 'failure'],
    [502, 'throttled'],
    [503, 'throttled'],
    [504, 'throttled'],
    [undefined, 'failure'],
  ];
  it.each(table)('status %s → %s', (statusCode, expected) => {
    expect(classifyAttempt(statusCode === undefined ? {} : { statusCode })).toBe(expected);
  });

  it('an error without a status is a failure; a status wins over a body-read error', () => {
    expect(classifyAttempt({ statusCode: undefined })).toBe('failure');
    expect(classifyAttempt({ statusCode: 200, errorCode: 'ETIMEDOUT' } as { statusCode: number })).toBe('success');
  });
});
