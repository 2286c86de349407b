/** One Server-Sent Events frame as received. */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
}

export interface SseClient {
  readonly status: number;
  readonly headers: Headers;
  /** Frames with data, in order. */
  readonly frames: SseFrame[];
  /** Comment lines (`: heartbeat`), without the colon. */
  readonly comments: string[];
  /** Resolves once `n` frames in all have arrived (rejects if the stream ends first). */
  waitForFrames(n: number): Promise<SseFrame[]>;
  /** Resolves once `n` comments in all have arrived. */
  waitForComments(n: number): Promise<string[]>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  /** Disconnects (aborts the request). */
  close(): void;
}

/**
 * A minimal SSE client over fetch for tests: parses frames and comments as they arrive
 * (a real EventSource hides comments and the `id`/reconnect mechanics we want to assert on).
 */
export async function connectSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const frames: SseFrame[] = [];
  const comments: string[] = [];
  const waiters: { check: () => boolean; resolve: () => void; reject: (e: Error) => void }[] = [];
  let done = false;
  const settle = () => {
    for (const w of waiters.slice()) {
      if (w.check()) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      } else if (done) {
        waiters.splice(waiters.indexOf(w), 1);
        w.reject(new Error(`stream ended after ${frames.length} frames and ${comments.length} comments`));
      }
    }
  };
  const parse = (block: string) => {
    const frame: SseFrame = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) frame.id = line.slice(4);
      else if (line.startsWith('event: ')) frame.event = line.slice(7);
      else if (line.startsWith('data: '))
        frame.data = (frame.data === undefined ? '' : `${frame.data}\n`) + line.slice(6);
    }
    if (frame.data !== undefined) frames.push(frame);
  };
  const ended = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          parse(buffer.slice(0, i));
          buffer = buffer.slice(i + 2);
        }
        settle();
      }
    } catch {
      // aborted by close()
    } finally {
      done = true;
      settle();
    }
  })();
  const wait = (check: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      waiters.push({ check, resolve, reject });
      settle();
    });
  return {
    status: res.status,
    headers: res.headers,
    frames,
    comments,
    ended,
    waitForFrames: (n) => wait(() => frames.length >= n).then(() => frames.slice()),
    waitForComments: (n) => wait(() => comments.length >= n).then(() => comments.slice()),
    close: () => abort.abort(),
  };
}
