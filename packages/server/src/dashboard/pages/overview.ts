import type { FastifyInstance } from 'fastify';
import type { DeliveryOverview, Percentiles } from '../../model/overview-records.js';
import type { DeliveryRecord, WebhookRecord } from '../../model/records.js';
import { html, type SafeHtml } from '../html.js';
import { badge, duration, empty, iso, liveRegion, when, withQuery } from '../layout.js';
import type { Runtime } from '../runtime.js';
import { deliveriesTable } from './deliveries.js';

const WINDOW_MS = 24 * 3_600_000;
const MAX_SAMPLE = 10_000;
/** A backlog older than this gets a hint. */
const STUCK_MS = 10 * 60_000;

const pct = (n: number, d: number) => (d === 0 ? '—' : `${((100 * n) / d).toFixed(n === d ? 0 : 1)}%`);
const ms = (p: Percentiles | null, k: keyof Percentiles) => (p ? duration(p[k]) : '—');

interface OverviewData {
  overview: DeliveryOverview;
  webhooks: WebhookRecord[];
  recent: DeliveryRecord[];
  hasEvents: boolean;
  now: number;
}

function hints(d: OverviewData): SafeHtml[] {
  const out: SafeHtml[] = [];
  const { overview: o, webhooks, now } = d;
  if (webhooks.length === 0) {
    out.push(
      html`<li>
        <strong>Create your first webhook.</strong> Give Herald a URL to notify:
        <a href="/dashboard/webhooks#create">create a webhook</a>, then send it a ping.
      </li>`,
    );
    return out;
  }
  for (const w of webhooks.filter((x) => x.state === 'disabled_due_to_failed_deliveries')) {
    out.push(
      html`<li class="bad">
        <strong>${w.name || w.id} was disabled because its deliveries kept failing.</strong> Fix the endpoint
        (<code>${w.uri}</code>), <a href="/dashboard/webhooks/${w.id}">enable it</a>, then
        <a href="${withQuery('/dashboard/replay', { webhook: w.id, since: iso(w.updatedAt - WINDOW_MS) })}"
          >replay what it missed</a
        >.
      </li>`,
    );
  }
  const off = webhooks.filter((x) => x.state === 'disabled');
  if (off.length > 0) {
    out.push(
      html`<li>
        <strong>Disabled:</strong>
        ${off.map((w, i) => html`${i > 0 ? ', ' : ''}<a href="/dashboard/webhooks/${w.id}">${w.name || w.id}</a>`)}. A
        disabled webhook receives nothing until it is enabled again on its page.
      </li>`,
    );
  }
  const failed = o.deliveries.failed;
  if (failed > 0) {
    out.push(
      html`<li class="bad">
        <strong>${failed} ${failed === 1 ? 'delivery' : 'deliveries'} failed in the last 24 h.</strong> Look at the
        response of the last attempt in <a href="/dashboard/deliveries?status=failed">failed deliveries</a>, fix the
        receiver, then retry them one by one or replay the webhook.
      </li>`,
    );
  }
  const stuck = o.backlog.oldestPendingCreatedAt !== null && now - o.backlog.oldestPendingCreatedAt > STUCK_MS;
  if (o.backlog.pending > 0 && !stuck) {
    const n = o.backlog.pending;
    out.push(
      html`<li>
        <strong>${n} ${n === 1 ? 'delivery is' : 'deliveries are'} waiting</strong> to be sent or retried (a receiver
        that answered with an error is retried on schedule); see
        <a href="/dashboard/deliveries?status=pending">pending deliveries</a>.
      </li>`,
    );
  }
  if (stuck && o.backlog.oldestPendingCreatedAt !== null) {
    out.push(
      html`<li class="warn">
        <strong>The oldest pending delivery is ${duration(now - o.backlog.oldestPendingCreatedAt)} old.</strong> A
        receiver is slow or failing and Herald is retrying it; see
        <a href="/dashboard/deliveries?status=pending">pending deliveries</a>.
      </li>`,
    );
  }
  if (!d.hasEvents) {
    out.push(
      html`<li>
        <strong>No events yet.</strong> Ping a webhook from its page, or emit one:
        <code
          >curl -s $HERALD_URL/v1beta/events -H "x-goog-api-key: $HERALD_API_KEY" -H 'content-type: application/json' -d
          '{"type":"invoice.ready","data":{"id":"inv_1"}}'</code
        >
      </li>`,
    );
  }
  if (out.length === 0) {
    out.push(
      html`<li class="ok">
        <strong>All good.</strong> Every webhook is enabled, nothing is failing and nothing is waiting.
      </li>`,
    );
  }
  return out;
}

function renderOverview(d: OverviewData): SafeHtml {
  const { overview: o, now } = d;
  const settled = o.deliveries.succeeded + o.deliveries.failed;
  const rateTone =
    settled === 0 ? '' : o.deliveries.failed === 0 ? 'ok' : o.deliveries.succeeded / settled < 0.95 ? 'bad' : 'warn';
  const backlog = o.backlog.pending + o.backlog.inFlight;
  const oldest = o.backlog.oldestPendingCreatedAt;
  const disabled = d.webhooks.filter((w) => w.state !== 'enabled');
  const names = new Map(d.webhooks.map((w) => [w.id, w.name]));
  return html`<div class="cards">
      <div class="card ${rateTone}" data-metric="success-rate">
        <div class="label">Success · 24 h</div>
        <div class="value">${pct(o.deliveries.succeeded, settled)}</div>
        <div class="sub">${o.deliveries.succeeded} succeeded · ${o.deliveries.failed} failed</div>
      </div>
      <div class="card" data-metric="latency">
        <div class="label">Attempt time p50</div>
        <div class="value">${ms(o.attempts.durationMs, 'p50')}</div>
        <div class="sub">
          p95 ${ms(o.attempts.durationMs, 'p95')} · p99 ${ms(o.attempts.durationMs, 'p99')} · ${o.attempts.count}
          attempts
        </div>
      </div>
      <div class="card" data-metric="notification-latency">
        <div class="label">Event → 2xx p50</div>
        <div class="value">${ms(o.attempts.notificationLatencyMs, 'p50')}</div>
        <div class="sub">
          p95 ${ms(o.attempts.notificationLatencyMs, 'p95')} · p99 ${ms(o.attempts.notificationLatencyMs, 'p99')} ·
          first attempts
        </div>
      </div>
      <div class="card ${backlog > 0 ? 'warn' : ''}" data-metric="backlog">
        <div class="label">Backlog</div>
        <div class="value">${backlog}</div>
        <div class="sub">${o.backlog.pending} pending · ${o.backlog.inFlight} in flight</div>
      </div>
      <div class="card ${oldest !== null && now - oldest > STUCK_MS ? 'warn' : ''}" data-metric="oldest-pending">
        <div class="label">Oldest pending</div>
        <div class="value">${oldest === null ? '—' : now - oldest < 1000 ? '< 1 s' : duration(now - oldest)}</div>
        <div class="sub">${oldest === null ? 'nothing waiting' : html`since ${when(oldest, now)}`}</div>
      </div>
      <div class="card ${disabled.length > 0 ? 'bad' : ''}" data-metric="disabled-webhooks">
        <div class="label">Disabled webhooks</div>
        <div class="value">${disabled.length}</div>
        <div class="sub">of ${d.webhooks.length} webhook${d.webhooks.length === 1 ? '' : 's'}</div>
      </div>
    </div>
    <div class="panel">
      <h2>What to do next</h2>
      <ul class="hints">
        ${hints(d)}
      </ul>
    </div>
    <h2>Recent deliveries</h2>
    ${
      d.recent.length === 0
        ? empty(
            'No deliveries yet',
            d.webhooks.length === 0
              ? html`Deliveries appear here once a webhook exists and an event is emitted.`
              : html`Ping a webhook from <a href="/dashboard/webhooks">its page</a> to see one arrive.`,
          )
        : html`${deliveriesTable(d.recent, names, now)}
            <p><a href="/dashboard/deliveries">All deliveries →</a></p>`
    }
    ${
      disabled.length > 0
        ? html`<h2>Disabled webhooks</h2>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>State</th>
                    <th>Since</th>
                  </tr>
                </thead>
                <tbody>
                  ${disabled.map(
                    (w) =>
                      html`<tr>
                        <td><a href="/dashboard/webhooks/${w.id}">${w.name || w.id}</a></td>
                        <td>${badge(w.state)}</td>
                        <td>${when(w.updatedAt, now)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
        : ''
    }`;
}

export function registerOverviewPage(app: FastifyInstance, rt: Runtime): void {
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const { projectId } = rt.viewer(req);
    const now = rt.clock.now();
    const [overview, webhooks, recent, events] = await Promise.all([
      rt.reads.overview(projectId, { since: now - WINDOW_MS, maxSample: MAX_SAMPLE }),
      rt.webhooks.list(projectId, 1000),
      rt.deliveries.list(projectId, { pageSize: 10 }),
      rt.reads.recentEvents(projectId, { pageSize: 1 }),
    ]);
    const data: OverviewData = { overview, webhooks, recent, hasEvents: events.length > 0, now };
    return rt.send(reply, req, {
      title: 'Overview',
      active: 'overview',
      body: html`<div class="page-head">
          <div>
            <h1>Overview</h1>
            <p class="muted">Delivery health of this project over the last 24 hours. Updates live.</p>
          </div>
        </div>
        ${liveRegion('live-overview', '/', renderOverview(data))}`,
    });
  });
}
