import { describe, expect, it } from 'vitest';
import { readSse, SseParser, type SseEvent } from './sse.js';

function parseAll(chunks: string[]): { events: SseEvent[]; parser: SseParser } {
  const parser = new SseParser();
  const events = chunks.flatMap((c) => parser.feed(c));
  return { events, parser };
}

describe('SseParser', () => {
  it('dispatches an event on a blank line with its type, data and id', () => {
    const { events } = parseAll(['id: 7\nevent: batch.succeeded\ndata: {"a":1}\n\n']);
    expect(events).toEqual([{ type: 'batch.succeeded', data: '{"a":1}', lastEventId: '7' }]);
  });

  it('defaults the type to message and joins data lines with \\n', () => {
    const { events } = parseAll(['data: one\ndata: two\ndata\n\n']);
    expect(events).toEqual([{ type: 'message', data: 'one\ntwo\n', lastEventId: '' }]);
  });

  it('accepts CRLF, LF and lone CR line ends, also when CRLF is split across chunks', () => {
    const { events } = parseAll(['data: a\r', '\n\r', '\ndata: b\r\rdata: c\n\n']);
    expect(events.map((e) => e.data)).toEqual(['a', 'b', 'c']);
  });

  it('handles a field split at any byte boundary', () => {
    const text = 'id: 42\nevent: x.y\ndata: {"hello":"wörld"}\n\n';
    for (let i = 1; i < text.length; i++) {
      const { events } = parseAll([text.slice(0, i), text.slice(i)]);
      expect(events, `split at ${i}`).toEqual([{ type: 'x.y', data: '{"hello":"wörld"}', lastEventId: '42' }]);
    }
  });

  it('ignores comments, unknown fields and blocks without data (resetting the type)', () => {
    const { events } = parseAll([': keep-alive\n\nevent: lonely\n\nfoo: bar\ndata: x\n\n']);
    expect(events).toEqual([{ type: 'message', data: 'x', lastEventId: '' }]);
  });

  it('strips exactly one space after the colon, and a field without colon has an empty value', () => {
    const { events } = parseAll(['data:  two spaces\ndata:none\n\n']);
    expect(events[0]!.data).toBe(' two spaces\nnone');
  });

  it('keeps the last id across events, ignores ids with NUL, and an empty id resets it', () => {
    const { events, parser } = parseAll(['id: 1\ndata: a\n\ndata: b\n\nid: 2\u0000\ndata: c\n\nid\ndata: d\n\n']);
    expect(events.map((e) => e.lastEventId)).toEqual(['1', '1', '1', '']);
    expect(parser.lastEventId).toBe('');
  });

  it('reads retry only when it is all digits', () => {
    const { parser } = parseAll(['retry: 2500\n', 'retry: 1e3\n', 'retry: -1\n']);
    expect(parser.retry).toBe(2500);
  });

  it('strips a leading BOM once', () => {
    const { events } = parseAll(['\uFEFFdata: a\n\n']);
    expect(events[0]!.data).toBe('a');
    expect(parseAll(['data: a\n\n', '\uFEFFdata: b\n\n']).events).toHaveLength(1); // a later BOM is part of a field name
  });

  it('drops an unterminated event at the end of the stream', () => {
    const { events } = parseAll(['data: complete\n\ndata: partial\n']);
    expect(events.map((e) => e.data)).toEqual(['complete']);
  });
});

describe('readSse', () => {
  it('decodes UTF-8 split inside a multi-byte character', async () => {
    const bytes = new TextEncoder().encode('data: é€😀\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    for await (const e of readSse(body)) events.push(e);
    expect(events).toEqual([{ type: 'message', data: 'é€😀', lastEventId: '' }]);
  });

  it('cancels the body when the consumer stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: 1\n\ndata: 2\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const e of readSse(body)) {
      expect(e.data).toBe('1');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
