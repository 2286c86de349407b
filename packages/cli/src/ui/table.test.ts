import { describe, expect, it } from 'vitest';
import { renderFields, renderTable, type Column } from './table.js';

interface Row {
  id: string;
  n: number;
  uri: string;
}
const rows: Row[] = [
  { id: 'a', n: 1, uri: 'http://example.com/a' },
  { id: 'bbbb', n: 100, uri: 'http://example.com/a/very/long/path' },
];
const columns: Column<Row>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'N', value: (r) => String(r.n), align: 'right' },
  { header: 'URI', value: (r) => r.uri, flex: true },
];

describe('renderTable', () => {
  it('aligns columns under their headers, right-aligning numbers, without trailing spaces', () => {
    expect(renderTable(rows, columns)).toBe(
      ['ID      N  URI', 'a       1  http://example.com/a', 'bbbb  100  http://example.com/a/very/long/path'].join(
        '\n',
      ),
    );
  });

  it('shrinks the flexible column to the available width', () => {
    const lines = renderTable(rows, columns, { width: 30 }).split('\n');
    expect(lines.every((l) => l.length <= 30)).toBe(true);
    expect(lines[2]).toBe('bbbb  100  http://example.com…');
  });

  it('cuts cells to max, flattens line breaks and neutralises control characters', () => {
    const out = renderTable(
      [{ text: 'line1\nline2 and more', evil: '\u001b]0;pwned\u0007' }],
      [
        { header: 'TEXT', value: (r) => r.text, max: 10 },
        { header: 'EVIL', value: (r) => r.evil },
      ],
    );
    expect(out.split('\n')[1]).toBe('line1 lin…  ?]0;pwned?');
  });

  it('applies styles after padding, so colours do not break alignment', () => {
    const out = renderTable(rows, [{ header: 'ID', value: (r) => r.id, style: (t) => `<${t}>` }, columns[1]!]);
    expect(out.split('\n')).toEqual(['ID      N', '<a   >    1', '<bbbb>  100']);
  });
});

describe('renderFields', () => {
  it('aligns values and skips undefined ones', () => {
    expect(
      renderFields([
        ['ID', 'x'],
        ['Missing', undefined],
        ['Created', 'now'],
      ]),
    ).toBe('ID       x\nCreated  now');
  });
});
