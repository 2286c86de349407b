import type { BaseLogger, Bindings, ChildLoggerOptions, Level } from 'pino';

/** A logger as Fastify hands one to its child logger factory (pino's, through Fastify's type). */
export interface ChildCapableLogger extends Pick<
  BaseLogger,
  'level' | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
> {
  child(bindings: Bindings, options?: ChildLoggerOptions): ChildCapableLogger;
}

/** pino's standard level values; a custom level counts as enabled (pino itself then decides). */
const LEVEL_VALUES: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};
const enabledAt = (threshold: string, level: string) => (LEVEL_VALUES[level] ?? 0) >= (LEVEL_VALUES[threshold] ?? 0);

/**
 * A request's logger that becomes a real pino child (with the request id bound) only when
 * something is logged through it at an enabled level. Fastify makes a child per request; at
 * `info` (request lines off) almost none is ever written to, and making it (bindings serialized,
 * redaction, a prototype chain) was a measurable share of the single-event ingest path. Lines are
 * the eager child's: same bindings, same options, same level.
 *
 * Pass as Fastify's `childLoggerFactory`.
 */
export class LazyChildLogger implements ChildCapableLogger {
  readonly #parent: ChildCapableLogger;
  readonly #bindings: Bindings;
  readonly #opts: ChildLoggerOptions;
  #real: ChildCapableLogger | undefined;

  constructor(parent: ChildCapableLogger, bindings: Bindings, opts: ChildLoggerOptions = {}) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#opts = opts;
  }

  /** Whether the pino child has been made (something was logged, or asked of it). */
  get made(): boolean {
    return this.#real !== undefined;
  }

  get msgPrefix(): string | undefined {
    return undefined;
  }

  #child(): ChildCapableLogger {
    return (this.#real ??= this.#parent.child(this.#bindings, this.#opts));
  }

  get level(): string {
    return this.#real?.level ?? this.#opts.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.#child().level = level;
  }

  isLevelEnabled(level: string): boolean {
    return enabledAt(this.level, level);
  }

  child(bindings: Bindings, opts?: ChildLoggerOptions): ChildCapableLogger {
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
    // A level this logger filters needs no child at all.
    if (this.#real === undefined && !enabledAt(this.level, level)) return;
    const child = this.#child();
    Reflect.apply(child[level], child, args);
  }
}
