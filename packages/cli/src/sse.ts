/**
 * A server-sent events parser, written from the WHATWG HTML "event stream interpretation" rules:
 * CRLF, LF or CR line ends (also split across chunks), a leading BOM, `:` comments, `data` lines
 * joined with `\n`, `event`, `id` (ignored when it contains NUL; kept across events) and `retry`
 * (digits only). A block without `data` dispatches nothing; an unterminated block at the end of the
 * stream is dropped, as the spec says.
 * @module
 */

/** One dispatched event. */
export interface SseEvent {
  /** The `event` field; `message` when absent. */
  type: string;
  /** The `data` lines joined with `\n`. */
  data: string;
  /** The last `id` seen on the stream so far (sent back as `Last-Event-ID` on reconnect). */
  lastEventId: string;
}

/** Incremental parser: feed it text as it arrives. */
export class SseParser {
  #pending = '';
  #skipLf = false;
  #started = false;
  #data: string[] = [];
  #type = '';
  #lastEventId = '';
  #retry: number | undefined;

  /** The last event id seen. */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /** The reconnection delay the server asked for (`retry:`), in ms. */
  get retry(): number | undefined {
    return this.#retry;
  }

  /** Parses a chunk of decoded text and returns the events it completed. */
  feed(chunk: string): SseEvent[] {
    let text = chunk;
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 0x0a && this.#skipLf && i === start && this.#pending === '') {
        // the LF of a CRLF whose CR ended the previous chunk
        this.#skipLf = false;
        start = i + 1;
        continue;
      }
      this.#skipLf = false;
      if (ch === 0x0a || ch === 0x0d) {
        const line = this.#pending + text.slice(start, i);
        this.#pending = '';
        if (ch === 0x0d) {
          if (text.charCodeAt(i + 1) === 0x0a) i++;
          else if (i + 1 === text.length) this.#skipLf = true;
        }
        start = i + 1;
        const event = this.#line(line);
        if (event) events.push(event);
      }
    }
    this.#pending += text.slice(start);
    return events;
  }

  #line(line: string): SseEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#type = value;
        break;
      case 'data':
        this.#data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retry = Number(value);
        break;
      default:
        break;
    }
    return undefined;
  }

  #dispatch(): SseEvent | undefined {
    const type = this.#type;
    const data = this.#data;
    this.#type = '';
    this.#data = [];
    if (data.length === 0) return undefined;
    return { type: type || 'message', data: data.join('\n'), lastEventId: this.#lastEventId };
  }
}

/** Reads a `text/event-stream` body as events (UTF-8, decoded incrementally). */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  parser: SseParser = new SseParser(),
): AsyncGenerator<SseEvent, void, undefined> {
  const decoder = new TextDecoder('utf-8');
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.feed(decoder.decode(value, { stream: true }));
    }
    finished = true;
    yield* parser.feed(decoder.decode());
  } finally {
    // Stopped early (the consumer returned or threw): release the connection.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
