import type { Bindings, ChildLoggerOptions, Level, LogFn, Logger } from 'pino';

/**
 * A request's logger that becomes a real pino child (with the request id bound) only when
 * something is logged through it. Fastify makes a child per request; at `info` (request lines
 * off) almost none is ever written to, and making it (bindings serialized, redaction, a prototype
 * chain) was a measurable share of the single-event ingest path. Lines are the same as the
 * eager child's: same bindings, same options, same level.
 *
 * Pass as Fastify's `childLoggerFactory`.
 */
export class LazyChildLogger {
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  readonly #opts: ChildLoggerOptions;
  #real: Logger | undefined;

  constructor(parent: Logger, bindings: Bindings, opts: ChildLoggerOptions = {}) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#opts = opts;
  }

  /** Whether the pino child has been made (something was logged, or asked of it). */
  get made(): boolean {
    return this.#real !== undefined;
  }

  #child(): Logger {
    return (this.#real ??= this.#parent.child(this.#bindings, this.#opts));
  }

  get level(): string {
    return this.#real?.level ?? this.#opts.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.#child().level = level;
  }

  isLevelEnabled(level: string): boolean {
    if (this.#real === undefined && this.#opts.level === undefined) return this.#parent.isLevelEnabled(level);
    return this.#child().isLevelEnabled(level);
  }

  child(bindings: Bindings, opts?: ChildLoggerOptions): Logger {
    return this.#child().child(bindings, opts);
  }

  // Methods on the prototype, not per-instance closures: one small object per request.
  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#log('error', args);
  }
  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }
  info(...args: unknown[]): void {
    this.#log('info', args);
  }
  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }
  silent(): void {}

  #log(level: Level, args: unknown[]): void {
    // A level the parent filters (and no per-route level) needs no child at all.
    if (this.#real === undefined && this.#opts.level === undefined && !this.#parent.isLevelEnabled(level)) return;
    (this.#child()[level] as LogFn).apply(this.#real, args as Parameters<LogFn>);
  }
}
