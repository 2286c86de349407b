import { randomBytes } from 'node:crypto';
import type { AttemptResult } from '../delivery/transport/send-attempt.js';
import { USER_AGENT } from '../delivery/transport/send-attempt.js';
import type { AttemptRequest, Sender } from '../delivery/settle.js';

/** The internal destination scheme of `herald listen`: deliveries go to a stream, not over HTTP. */
export const LISTEN_SCHEME = 'herald-listen://';

export const isListenerUri = (uri: string): boolean => uri.startsWith(LISTEN_SCHEME);

/** One delivery attempt pushed to a listener. */
export interface ListenerPush {
  delivery_id: string;
  attempt: number;
  /** The headers Herald would send: content-type, user-agent and the signed webhook-* headers. */
  headers: Record<string, string>;
  /** The exact signed body. */
  body: string;
}

/** An open listener stream: where pushes go. */
export interface ListenerConnection {
  push(message: ListenerPush): void;
  /** Ends the stream (a newer connection replaced it, or the server closes). */
  close(): void;
}

/** What a listener reports about one attempt. */
export interface ListenerReport {
  statusCode?: number | undefined;
  durationMs: number;
  responseExcerpt?: string | undefined;
  error?: { code: string; message: string } | undefined;
}

interface Pending {
  resolve: (r: AttemptResult) => void;
  timer: NodeJS.Timeout;
  startedAt: number;
}

const EXCERPT_CHARS = 4096;

/**
 * Connects the delivery engine to `herald listen` sessions. Deliveries to a `herald-listen://…`
 * URI are pushed to the listener's open stream, and the attempt resolves with what the listener
 * reports back, so the retry policy, attempt records and endpoint health stay exactly as for an
 * HTTP destination: no listener connected is a failed attempt (retried on schedule), no report in
 * time is a timeout. One connection per listener: a new one replaces the old.
 */
export class ListenerHub {
  readonly #connections = new Map<string, ListenerConnection>();
  readonly #pending = new Map<string, Pending>();
  readonly #onChange = new Set<(uri: string, connected: boolean) => void>();

  /** A `Sender` that routes listener URIs here and everything else to `http`. */
  sender(http: Sender): Sender {
    return (req) => (isListenerUri(req.url) ? this.send(req) : http(req));
  }

  isConnected(uri: string): boolean {
    return this.#connections.has(uri);
  }

  /** Called when a listener connects or its connection ends. */
  onChange(listener: (uri: string, connected: boolean) => void): () => void {
    this.#onChange.add(listener);
    return () => this.#onChange.delete(listener);
  }

  /** Registers the stream of `uri`; returns the function that unregisters it. */
  connect(uri: string, connection: ListenerConnection): () => void {
    const previous = this.#connections.get(uri);
    this.#connections.set(uri, connection);
    if (previous) previous.close();
    this.#emit(uri, true);
    return () => {
      if (this.#connections.get(uri) !== connection) return;
      this.#connections.delete(uri);
      // Attempts pushed to this connection cannot be reported any more.
      for (const [key, p] of this.#pending) {
        if (!key.startsWith(`${uri}\n`)) continue;
        this.#settle(key, p, {
          errorCode: 'ELISTENERGONE',
          errorMessage: 'herald listen disconnected before reporting the answer of the local receiver',
          durationMs: Date.now() - p.startedAt,
          responseExcerpt: '',
        });
      }
      this.#emit(uri, false);
    };
  }

  #emit(uri: string, connected: boolean): void {
    for (const l of this.#onChange) {
      try {
        l(uri, connected);
      } catch {
        // a listener's failure must not break the stream
      }
    }
  }

  /** Ends the stream of `uri`, if one is open (the listener was deleted). */
  drop(uri: string): void {
    this.#connections.get(uri)?.close();
  }

  /** One attempt to a listener URI. Never throws. */
  send(req: AttemptRequest): Promise<AttemptResult> {
    const connection = this.#connections.get(req.url);
    if (!connection) {
      return Promise.resolve({
        errorCode: 'ENOLISTENER',
        errorMessage: 'no `herald listen` is connected to this destination; retried on schedule',
        durationMs: 0,
        responseExcerpt: '',
      });
    }
    const deliveryId = req.deliveryId ?? `att_${randomBytes(8).toString('hex')}`;
    const key = `${req.url}\n${deliveryId}`;
    const startedAt = Date.now();
    return new Promise<AttemptResult>((resolve) => {
      const previous = this.#pending.get(key);
      if (previous) this.#settle(key, previous, superseded(previous.startedAt));
      const timer = setTimeout(() => {
        const p = this.#pending.get(key);
        if (p)
          this.#settle(key, p, {
            errorCode: 'ETIMEDOUT',
            errorMessage: `herald listen did not report the local answer within ${Math.round(req.timeoutMs / 1000)} s`,
            durationMs: Date.now() - startedAt,
            responseExcerpt: '',
          });
      }, req.timeoutMs);
      timer.unref();
      this.#pending.set(key, { resolve, timer, startedAt });
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': USER_AGENT };
      for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
      try {
        connection.push({ delivery_id: deliveryId, attempt: req.attempt ?? 1, headers, body: req.body });
      } catch (err) {
        const p = this.#pending.get(key);
        if (p)
          this.#settle(key, p, {
            errorCode: 'ELISTENERGONE',
            errorMessage: `pushing to herald listen failed: ${(err as Error).message}`,
            durationMs: 0,
            responseExcerpt: '',
          });
      }
    });
  }

  /** Resolves the attempt waiting for this report; false when none waits (timed out, or reported). */
  report(uri: string, deliveryId: string, r: ListenerReport): boolean {
    const key = `${uri}\n${deliveryId}`;
    const p = this.#pending.get(key);
    if (!p) return false;
    const result: AttemptResult = {
      durationMs: Math.max(0, r.durationMs),
      responseExcerpt: (r.responseExcerpt ?? '').slice(0, EXCERPT_CHARS),
    };
    if (r.statusCode !== undefined) result.statusCode = r.statusCode;
    if (r.error) {
      result.errorCode = r.error.code;
      result.errorMessage = r.error.message;
    }
    this.#settle(key, p, result);
    return true;
  }

  /** Ends every stream and fails every waiting attempt (shutdown). */
  closeAll(): void {
    for (const [key, p] of this.#pending) {
      this.#settle(key, p, {
        errorCode: 'ELISTENERGONE',
        errorMessage: 'the server shut down before herald listen reported',
        durationMs: Date.now() - p.startedAt,
        responseExcerpt: '',
      });
    }
    for (const c of this.#connections.values()) c.close();
    this.#connections.clear();
  }

  #settle(key: string, p: Pending, result: AttemptResult): void {
    clearTimeout(p.timer);
    this.#pending.delete(key);
    p.resolve(result);
  }
}

function superseded(startedAt: number): AttemptResult {
  return {
    errorCode: 'ESUPERSEDED',
    errorMessage: 'a newer attempt of this delivery was pushed before this one was reported',
    durationMs: Date.now() - startedAt,
    responseExcerpt: '',
  };
}
