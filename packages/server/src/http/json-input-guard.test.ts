import { describe, expect, it } from 'vitest';
import { checkJsonInput, MAX_JSON_DEPTH, mayNeedJsonCheck } from './json-input-guard.js';

const nested = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

describe('mayNeedJsonCheck', () => {
  it('lets ordinary bodies skip the walk', () => {
    expect(mayNeedJsonCheck('{"type":"invoice.ready","data":{"id":"inv_1","lines":[1,2,3]}}')).toBe(false);
    expect(mayNeedJsonCheck(nested(MAX_JSON_DEPTH))).toBe(false);
  });

  it('sends every body the walk would refuse to the walk', () => {
    for (const text of [nested(MAX_JSON_DEPTH + 1), '{"name":"a\\u0000b"}', '{"a\\u0000":1}']) {
      expect(mayNeedJsonCheck(text)).toBe(true);
      expect(() => checkJsonInput(JSON.parse(text))).toThrow(/NUL|nested/);
    }
  });
});
