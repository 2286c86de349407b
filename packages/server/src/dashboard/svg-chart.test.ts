import { describe, expect, it } from 'vitest';
import { lineChart, type LineChartInput } from './svg-chart.js';

const base = (over: Partial<LineChartInput> = {}): LineChartInput => ({
  id: 'c1',
  title: 'Attempts per minute',
  description: 'Delivery attempts per minute over the last 24 hours',
  series: [{ label: 'attempts', values: [0, 2, 4], color: '#2563eb' }],
  yFormat: (v) => String(Math.round(v)),
  xLabels: [
    { at: 0, text: '-24 h' },
    { at: 2, text: 'now' },
  ],
  emptyText: 'No attempts in the last 24 h',
  ...over,
});

const pathsOf = (svg: string) => [...svg.matchAll(/<path[^>]*\bd="([^"]*)"/g)].map((m) => m[1]!);

describe('lineChart', () => {
  it('is an accessible image: role, title and description referenced by aria-labelledby', () => {
    const svg = lineChart(base()).value;
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="c1-title c1-desc"');
    expect(svg).toMatch(/<title id="c1-title">Attempts per minute<\/title>/);
    expect(svg).toMatch(/<desc id="c1-desc">Delivery attempts per minute over the last 24 hours<\/desc>/);
    expect(svg).not.toMatch(/style=|<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('draws one point per value, left to right, highest value at the top of the plot', () => {
    const [d] = pathsOf(lineChart(base()).value);
    const points = [...d!.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(points).toHaveLength(3);
    expect(points.map((p) => p[0])).toEqual([...points.map((p) => p[0]!)].sort((a, b) => a - b));
    expect(points[2]![1]).toBeLessThan(points[0]![1]!); // 4 is drawn above 0
    expect(points[2]![1]).toBe(10); // the top padding: the largest value reaches the top
  });

  it('breaks the line where a value is missing, and one line per series with a legend', () => {
    const svg = lineChart(
      base({
        series: [
          { label: 'p50', values: [1, null, 3, 4], color: '#16a34a' },
          { label: 'p99', values: [5, 6, null, null], color: '#dc2626' },
        ],
      }),
    ).value;
    const [p50, p99] = pathsOf(svg);
    expect(p50!.match(/M/g)).toHaveLength(2);
    expect(p99!.match(/M/g)).toHaveLength(1);
    expect(svg).toContain('data-series="p50"');
    expect(svg).toMatch(/<ul class="legend">[\s\S]*p50[\s\S]*p99/);
  });

  it('never emits NaN or Infinity: empty, flat, single-point and non-finite data', () => {
    for (const values of [[], [0, 0, 0], [7], [Number.NaN, Infinity, 3], [null, null]]) {
      const svg = lineChart(base({ series: [{ label: 's', values, color: '#000' }], area: true })).value;
      expect(svg, JSON.stringify(values)).not.toMatch(/NaN|Infinity/);
    }
    expect(lineChart(base({ yMax: 0 })).value).not.toContain('NaN');
  });

  it('shows the empty text and no line when there is no data', () => {
    const svg = lineChart(base({ series: [{ label: 's', values: [null, null], color: '#000' }] })).value;
    expect(svg).toContain('No attempts in the last 24 h');
    expect(pathsOf(svg)).toEqual([]);
  });

  it('escapes titles and labels', () => {
    const svg = lineChart(base({ title: '<b>x</b>', yFormat: () => '<y>' })).value;
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('<y>');
  });
});

describe('lineChart markers', () => {
  it('marks each value of a short series, so a lone value between gaps still shows', () => {
    const svg = lineChart(base({ series: [{ label: 's', values: [null, 0.5, null], color: '#000' }], yMax: 1 })).value;
    expect(svg.match(/<circle\b/g)).toHaveLength(1);
    const long = lineChart(base({ series: [{ label: 's', values: new Array<number>(1440).fill(1), color: '#000' }] }));
    expect(long.value).not.toMatch(/<circle\b/);
  });
});
