import { describe, expect, it } from 'vitest';
import { generateContentResponse, hasMarker, simulatedReply, textOf } from './sim-text.js';

describe('simulator text', () => {
  it('reads the prompt from text and prompt fields only', () => {
    expect(textOf('hi')).toBe('hi');
    expect(textOf([{ role: 'user', parts: [{ text: 'a' }, { text: 'b' }] }])).toBe('a b');
    expect(textOf({ instances: [{ prompt: 'cat' }], role: 'user' })).toBe('cat');
  });

  it('is deterministic and quotes the prompt', () => {
    expect(simulatedReply('hello')).toEqual(simulatedReply('hello'));
    expect(simulatedReply('hello').text).toMatch(/^Simulated response to "hello" \([0-9a-f]{8}\)\.$/);
    expect(simulatedReply('x'.repeat(200)).text).toContain('...');
    const r = generateContentResponse('hello', 'models/gemini-2.5-flash');
    expect(r).toMatchObject({ modelVersion: 'gemini-2.5-flash', candidates: [{ finishReason: 'STOP' }] });
  });

  it('finds markers anywhere in a request', () => {
    expect(hasMarker({ a: [{ text: 'please [fail] now' }] }, '[fail]')).toBe(true);
    expect(hasMarker({ a: 'fail' }, '[fail]')).toBe(false);
    expect(hasMarker(undefined, '[expire]')).toBe(false);
  });
});
