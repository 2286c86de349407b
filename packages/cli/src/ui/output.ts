/**
 * Output of a command: with `--json`, exactly the API resource(s) as JSON on stdout and no colour;
 * otherwise human text on stdout. Diagnostics (hints, warnings) always go to stderr.
 * @module
 */

import pc from 'picocolors';
import { renderTable, type Column } from './table.js';

/** A picocolors instance. */
export type Colors = ReturnType<typeof pc.createColors>;

/** Where a command writes. */
export interface Output {
  /** `--json` was given. */
  readonly json: boolean;
  /** Colours, disabled with `--json`, `--no-color`, `NO_COLOR` or when stdout is not a terminal. */
  readonly c: Colors;
  /** Writes the machine result (`--json`) or the human text. */
  result(value: unknown, human: () => string): void;
  /** A line of human output on stdout (nothing in `--json` mode). */
  line(text?: string): void;
  /** A hint for humans on stderr (nothing in `--json` mode). */
  hint(text: string): void;
  /** A status line on stderr, in every mode (long-running commands: "following…"). */
  info(text: string): void;
  /** A warning on stderr, in every mode. */
  warn(text: string): void;
  /** A table of rows (human mode), sized to the terminal. */
  table<T>(rows: readonly T[], columns: readonly Column<T>[]): string;
}

/** Writes JSON on one line per value (for streams such as `events tail --json`). */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

export function createOutput(opts: { json: boolean; color: boolean }): Output {
  const c = pc.createColors(!opts.json && opts.color && pc.isColorSupported);
  const stdout = process.stdout;
  return {
    json: opts.json,
    c,
    result(value, human) {
      if (opts.json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else {
        const text = human();
        if (text !== '') stdout.write(`${text}\n`);
      }
    },
    line(text = '') {
      if (!opts.json) stdout.write(`${text}\n`);
    },
    hint(text) {
      if (!opts.json) process.stderr.write(`${c.dim(text)}\n`);
    },
    info(text) {
      process.stderr.write(`${c.dim(text)}\n`);
    },
    warn(text) {
      process.stderr.write(`${c.yellow(text)}\n`);
    },
    table(rows, columns) {
      return renderTable(rows, columns, {
        width: stdout.isTTY ? stdout.columns : undefined,
        headerStyle: (t) => c.bold(c.dim(t)),
      });
    },
  };
}
