import { html, type SafeHtml } from './html.js';

/** One line of a chart: a value per x step, `null` where there is no data (a gap in the line). */
export interface ChartSeries {
  label: string;
  values: readonly (number | null)[];
  /** A stroke colour (a presentation attribute: the page's CSP allows no inline style). */
  color: string;
}

export interface LineChartInput {
  /** Unique on the page: the ids of the title and description derive from it. */
  id: string;
  /** The accessible name (the SVG's `<title>`), shown as the caption too. */
  title: string;
  /** What the chart shows, in words (the SVG's `<desc>`), for screen readers. */
  description: string;
  series: readonly ChartSeries[];
  /** Top of the y axis; default the largest value (at least 1). */
  yMax?: number;
  /** Labels an axis value: `12`, `95%`, `120 ms`. */
  yFormat: (v: number) => string;
  /** Labels under the x axis, at value indexes. */
  xLabels: readonly { at: number; text: string }[];
  /** Shown across the plot when no series has a value. */
  emptyText: string;
  /** Fill the area under the first series (for counts). */
  area?: boolean;
}

const W = 720;
const H = 180;
const PAD = { left: 56, right: 12, top: 10, bottom: 24 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

/** Series this short get a dot per value, so a lone value (no neighbour to join) still shows. */
const MARKERS_UP_TO = 48;

const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);
const r1 = (v: number) => Math.round(v * 10) / 10;

/**
 * A server-rendered line chart as inline SVG: no script, no external URL, no inline style. It has
 * an accessible name and description (`role="img"`, `<title>`, `<desc>`), y gridlines with labels,
 * x labels, a legend, and a line per series broken where a value is missing. Never emits NaN:
 * non-finite values count as missing and an empty or flat chart still has a y range.
 *
 * @example
 * lineChart({ id: 'rate', title: 'Success rate', description: '…', yMax: 1, yFormat: pct,
 *   series: [{ label: 'success', values: [1, 0.5, null], color: '#16a34a' }], xLabels: [], emptyText: 'No data' });
 */
export function lineChart(c: LineChartInput): SafeHtml {
  const n = Math.max(1, ...c.series.map((s) => s.values.length));
  const all = c.series.flatMap((s) => s.values.filter(finite));
  const top = c.yMax !== undefined && Number.isFinite(c.yMax) && c.yMax > 0 ? c.yMax : Math.max(1, ...all);
  const x = (i: number) => r1(PAD.left + (n === 1 ? PLOT_W / 2 : (i * PLOT_W) / (n - 1)));
  const y = (v: number) => r1(PAD.top + PLOT_H - (Math.min(Math.max(v, 0), top) / top) * PLOT_H);
  const ticks = [0, top / 2, top];
  const titleId = `${c.id}-title`;
  const descId = `${c.id}-desc`;

  const segments = (values: readonly (number | null)[]) => {
    const parts: string[] = [];
    let open = false;
    values.forEach((v, i) => {
      if (!finite(v)) {
        open = false;
        return;
      }
      parts.push(`${open ? 'L' : 'M'}${x(i)} ${y(v)}`);
      open = true;
    });
    return parts.join(' ');
  };
  const areaPath = (values: readonly (number | null)[]) => {
    const line = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i)} ${y(finite(v) ? v : 0)}`).join(' ');
    return `${line} L${x(values.length - 1)} ${y(0)} L${x(0)} ${y(0)} Z`;
  };

  return html`<figure class="chart" id="${c.id}">
    <figcaption>${c.title}</figcaption>
    <svg
      xmlns="http://www.w3.org/2000/svg"
      role="img"
      aria-labelledby="${titleId} ${descId}"
      viewBox="0 0 ${W} ${H}"
      width="100%"
    >
      <title id="${titleId}">${c.title}</title>
      <desc id="${descId}">${c.description}</desc>
      ${ticks.map(
        (t) =>
          html`<line
              x1="${PAD.left}"
              x2="${W - PAD.right}"
              y1="${y(t)}"
              y2="${y(t)}"
              stroke="#d4d4d8"
              stroke-width="1"
            />
            <text x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11" fill="#71717a"
              >${c.yFormat(t)}</text
            >`,
      )}
      ${c.xLabels
        .filter((l) => l.at >= 0 && l.at < n)
        .map(
          (l) =>
            html`<text x="${x(l.at)}" y="${H - 6}" text-anchor="middle" font-size="11" fill="#71717a">${l.text}</text>`,
        )}
      ${
        all.length === 0
          ? html`<text
              class="chart-empty"
              x="${PAD.left + PLOT_W / 2}"
              y="${PAD.top + PLOT_H / 2}"
              text-anchor="middle"
              font-size="13"
              fill="#71717a"
            >
              ${c.emptyText}
            </text>`
          : html`${
              c.area && c.series[0]
                ? html`<path
                    d="${areaPath(c.series[0].values)}"
                    fill="${c.series[0].color}"
                    fill-opacity="0.15"
                    stroke="none"
                  />`
                : ''
            }
            ${c.series.map(
              (s) =>
                html`<path
                    data-series="${s.label}"
                    d="${segments(s.values)}"
                    fill="none"
                    stroke="${s.color}"
                    stroke-width="1.5"
                    stroke-linejoin="round"
                  />
                  ${
                    s.values.length <= MARKERS_UP_TO
                      ? s.values.map((v, i) =>
                          finite(v) ? html`<circle cx="${x(i)}" cy="${y(v)}" r="2.5" fill="${s.color}" />` : '',
                        )
                      : ''
                  }`,
            )}`
      }
    </svg>
    ${
      c.series.length > 1
        ? html`<ul class="legend">
            ${c.series.map(
              (s) =>
                html`<li>
                  <svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="${s.color}" /></svg>
                  ${s.label}
                </li>`,
            )}
          </ul>`
        : ''
    }
  </figure>`;
}
