import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decodePageToken, encodePageToken } from '../../http/page-token.js';
import { invalidArgument, notFound } from '../../kernel/domain-errors.js';
import type { ProjectSummary } from '../../model/operator-records.js';
import type { ProjectRecord } from '../../model/records.js';
import type { ActivitySeries } from '../../services/activity-series.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, duration, empty, withQuery } from '../layout.js';
import { formOf, queryParam, type Runtime, type Viewer } from '../runtime.js';
import { lineChart } from '../svg-chart.js';

const PAGE_SIZE = 25;

const pct = (v: number) => `${Math.round(v * 100)}%`;
const count = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
const rate = (s: ProjectSummary) =>
  s.attempts === 0 ? html`<span class="muted">—</span>` : html`${pct(s.succeeded / s.attempts)}`;

/** The operator's pages are the admin key's only: to a project key they do not exist. */
function operator(rt: Runtime, req: FastifyRequest): Viewer & { projects: NonNullable<Runtime['projects']> } {
  const viewer = rt.viewer(req);
  if (!viewer.admin || !rt.projects) throw notFound('page not found');
  return { ...viewer, projects: rt.projects };
}

/** Hour marks under the 24 h charts: `-24 h`, `-18 h`, … `now`. */
function hourLabels(points: number, perHour: number) {
  return [24, 18, 12, 6, 0].map((h) => ({ at: Math.min(points - 1, (24 - h) * perHour), text: h ? `-${h} h` : 'now' }));
}

function charts(a: ActivitySeries): SafeHtml {
  const peak = Math.max(0, ...a.perMinute);
  return html`<section class="charts" aria-label="Last 24 hours, every project">
    ${lineChart({
      id: 'chart-attempts',
      title: 'Delivery attempts per minute, last 24 h',
      description: `${a.attempts} attempts in the last 24 hours across every project; at most ${peak} in one minute.`,
      series: [{ label: 'attempts', values: a.perMinute, color: '#2563eb' }],
      area: true,
      yFormat: count,
      xLabels: hourLabels(a.perMinute.length, 60),
      emptyText: 'No delivery attempts in the last 24 h',
    })}
    ${lineChart({
      id: 'chart-success',
      title: 'Success rate per hour, last 24 h',
      description:
        a.attempts === 0
          ? 'No attempts in the last 24 hours.'
          : `${pct(a.succeeded / a.attempts)} of ${a.attempts} attempts answered 2xx in the last 24 hours.`,
      series: [{ label: 'success rate', values: a.successRate, color: '#16a34a' }],
      yMax: 1,
      yFormat: pct,
      xLabels: hourLabels(a.successRate.length, 1),
      emptyText: 'No delivery attempts in the last 24 h',
    })}
    ${lineChart({
      id: 'chart-latency',
      title: 'Attempt latency per hour (p50, p95, p99), last 24 h',
      description: 'How long receivers took to answer, per hour: median, 95th and 99th percentile.',
      series: [
        { label: 'p50', values: a.latency.map((p) => p?.p50 ?? null), color: '#16a34a' },
        { label: 'p95', values: a.latency.map((p) => p?.p95 ?? null), color: '#d97706' },
        { label: 'p99', values: a.latency.map((p) => p?.p99 ?? null), color: '#dc2626' },
      ],
      yFormat: (v) => duration(v),
      xLabels: hourLabels(a.latency.length, 1),
      emptyText: 'No delivery attempts in the last 24 h',
    })}
  </section>`;
}

function table(v: Viewer, rows: { p: ProjectRecord; s: ProjectSummary }[]): SafeHtml {
  return html`<table class="table" id="projects-table">
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">ID</th>
        <th scope="col" class="num">Webhooks</th>
        <th scope="col" class="num" title="Deliveries pending or in flight">Backlog</th>
        <th scope="col" class="num">Success (24 h)</th>
        <th scope="col"><span class="sr-only">Open</span></th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        ({ p, s }) =>
          html`<tr data-project-id="${p.id}">
            <td>${p.name}</td>
            <td><code>${p.id}</code></td>
            <td class="num">${s.webhooks}</td>
            <td class="num">${s.backlog}</td>
            <td class="num">${rate(s)}</td>
            <td>
              ${
                p.id === v.projectId
                  ? html`<span class="badge info">open</span>`
                  : html`<form method="post" action="/dashboard/projects/open">
                      ${csrfField(v.csrf)}
                      <input type="hidden" name="project" value="${p.id}" />
                      <button type="submit" aria-label="Open ${p.name}">Open</button>
                    </form>`
              }
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/**
 * The operator view (admin-key sessions only): every project with its webhooks, backlog and 24 h
 * success rate (paged, filtered by name; one grouped read per page), charts of the last 24 h, and
 * the switcher that points the session at a project, whose usual pages then show that project.
 */
export function registerProjectPages(app: FastifyInstance, rt: Runtime): void {
  app.get('/dashboard/projects', { schema: { hide: true } }, async (req, reply) => {
    const v = operator(rt, req);
    const q = (queryParam(req, 'q') ?? '').trim().slice(0, 200);
    const token = queryParam(req, 'page_token');
    const after = token ? decodePageToken<{ c: number; i: string }>(token, { c: 'number', i: 'string' }) : undefined;
    const now = rt.clock.now();
    const page = await v.projects.list({
      pageSize: PAGE_SIZE + 1,
      ...(after ? { after: { createdAt: after.c, id: after.i } } : {}),
      ...(q ? { nameContains: q } : {}),
    });
    const shown = page.slice(0, PAGE_SIZE);
    const [summaries, activity] = await Promise.all([
      rt.reads.summaries(
        shown.map((p) => p.id),
        now,
      ),
      rt.reads.activity(now),
    ]);
    const last = shown.at(-1);
    const next =
      page.length > PAGE_SIZE && last
        ? withQuery('/dashboard/projects', { q, page_token: encodePageToken({ c: last.createdAt, i: last.id }) })
        : undefined;
    const rows = shown.map((p, i) => ({ p, s: summaries[i]! }));
    return rt.send(reply, req, {
      title: 'Projects',
      active: 'projects',
      body: html`<div class="page-head">
          <h1>Projects</h1>
          <p class="muted">
            Every project of this instance. <strong>Open</strong> one to see its webhooks, events and deliveries.
          </p>
        </div>
        ${charts(activity)}
        <form class="filters" method="get" action="/dashboard/projects" role="search">
          <label>Name contains <input type="search" name="q" value="${q}" /></label>
          <button type="submit">Filter</button>
          ${q ? html`<a href="/dashboard/projects">Clear</a>` : ''}
        </form>
        ${rows.length === 0 ? empty('No projects', q ? html` match “${q}”.` : '') : table(v, rows)}
        <nav class="pager" aria-label="Pages">
          ${token ? html`<a href="${withQuery('/dashboard/projects', { q })}">First page</a>` : ''}
          ${next ? html`<a rel="next" href="${next}">Next page</a>` : ''}
        </nav>`,
    });
  });

  app.post('/dashboard/projects/open', { schema: { hide: true } }, async (req, reply) => {
    const v = operator(rt, req);
    const id = formOf(req).get('project') ?? '';
    if (!id) throw invalidArgument('choose a project to open');
    if (!(await v.projects.exists(id))) throw notFound(`project "${id.slice(0, 63)}" not found`);
    rt.openProject(reply, v, id);
    return reply.redirect('/', 303);
  });
}
