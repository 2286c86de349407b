/**
 * A tiny table renderer for human output: left/right alignment, per-column maximum widths,
 * one flexible column that shrinks to the terminal, and colours applied after measuring.
 * @module
 */

import { clean, pad, truncate, visibleWidth } from './text.js';

/** One column of a table. */
export interface Column<T> {
  header: string;
  /** Plain text of the cell; control characters are neutralised and line breaks flattened. */
  value: (row: T) => string;
  align?: 'left' | 'right';
  /** Widest the column may be (cells are cut with `…`). */
  max?: number;
  /** This column gives up width first when the table is wider than `width`. */
  flex?: boolean;
  /** Colours a cell after it was cut and padded. */
  style?: (text: string, row: T) => string;
}

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Total width available (the terminal's columns); no limit when undefined. */
  width?: number | undefined;
  /** Styles the header row. */
  headerStyle?: (text: string) => string;
  /** Spaces between columns. Default 2. */
  gap?: number;
}

/** Renders rows as an aligned table, header first, without a trailing newline. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], options: TableOptions = {}): string {
  const gap = ' '.repeat(options.gap ?? 2);
  const cells = rows.map((row) => columns.map((c) => clean(c.value(row), true)));
  const widths = columns.map((c, i) => {
    const widest = Math.max(c.header.length, ...cells.map((r) => visibleWidth(r[i]!)));
    return c.max !== undefined ? Math.min(widest, Math.max(c.max, c.header.length)) : widest;
  });
  if (options.width !== undefined) {
    const total = widths.reduce((a, b) => a + b, 0) + gap.length * (columns.length - 1);
    const flex = columns.findIndex((c) => c.flex);
    if (flex >= 0 && total > options.width) {
      const min = Math.max(columns[flex]!.header.length, 8);
      widths[flex] = Math.max(min, widths[flex]! - (total - options.width));
    }
  }
  const header = columns
    .map((c, i) => pad(options.headerStyle ? options.headerStyle(c.header) : c.header, widths[i]!, c.align))
    .join(gap);
  const lines = cells.map((r, rowIndex) =>
    columns
      .map((c, i) => {
        const text = pad(truncate(r[i]!, widths[i]!), widths[i]!, c.align);
        return c.style ? c.style(text, rows[rowIndex]!) : text;
      })
      .join(gap)
      .trimEnd(),
  );
  return [header.trimEnd(), ...lines].join('\n');
}

/** Renders `label  value` pairs with aligned values; `undefined` values are skipped. */
export function renderFields(
  fields: readonly (readonly [label: string, value: string | undefined])[],
  labelStyle: (text: string) => string = (t) => t,
): string {
  const shown = fields.filter((f): f is readonly [string, string] => f[1] !== undefined);
  const width = Math.max(0, ...shown.map(([l]) => l.length));
  return shown.map(([label, value]) => `${labelStyle(pad(label, width))}  ${value}`).join('\n');
}
