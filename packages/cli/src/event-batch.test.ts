import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { chunk, parseEventLines } from './event-batch.js';

describe('parseEventLines', () => {
  it('reads one event a line, skipping blanks and # comments', () => {
    const text = '# invoices\n{"type":"invoice.ready","data":{"id":"inv_1"}}\n\n{"type":"a.b","idempotency_key":"k"}\n';
    expect(parseEventLines(text, 'f')).toEqual([
      { type: 'invoice.ready', data: { id: 'inv_1' } },
      { type: 'a.b', data: {}, idempotency_key: 'k' },
    ]);
  });

  it('names the line of a mistake', () => {
    expect(() => parseEventLines('{"type":"a.b"}\n{oops', 'events.ndjson')).toThrow(
      /events.ndjson line 2 is not valid JSON/,
    );
    expect(() => parseEventLines('{"data":{}}', 'f')).toThrow(/f line 1: each line must be an object with a "type"/);
    expect(() => parseEventLines('{"type":"a.b","data":[1]}', 'f')).toThrow(UsageError);
    expect(() => parseEventLines('\n# nothing\n', 'f')).toThrow(/holds no events/);
  });
});

describe('chunk', () => {
  it('splits into batches of at most the size, in order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk(Array.from({ length: 2500 }, (_, i) => i)).map((c) => c.length)).toEqual([1000, 1000, 500]);
  });
});
