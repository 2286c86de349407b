import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../kernel/domain-errors.js';
import { isFinal, isOperationState, OPERATION_STATES } from '../../operations/states.js';
import type { OperationRecord, OperationState } from '../../model/operation-records.js';
import type { EventRecord } from '../../model/records.js';
import { html, prettyJson, raw, type SafeHtml } from '../html.js';
import { badge, csrfField, duration, empty, flash, iso, liveRegion, when, withQuery } from '../layout.js';
import { formOf, queryParam, type Runtime } from '../runtime.js';

const PAGE = 50;

/** `/dashboard/operations/<name>`: names hold slashes (`batches/x`, `models/m/operations/x`). */
const opPath = (name: string) => `/dashboard/operations/${name.split('/').map(encodeURIComponent).join('/')}`;

const STATE_TONES: Partial<Record<OperationState, 'ok' | 'bad' | 'warn' | 'info' | 'off'>> = {
  pending: 'warn',
  running: 'info',
  requires_action: 'warn',
  succeeded: 'ok',
  failed: 'bad',
  cancelled: 'off',
  expired: 'bad',
};

const stateBadge = (s: OperationState) => badge(s, STATE_TONES[s] ?? 'off');

function progressCell(op: OperationRecord): SafeHtml {
  if (op.progress === null) {
    return op.state === 'succeeded'
      ? html`<progress class="bar" value="100" max="100">100%</progress>`
      : html`<span class="muted">—</span>`;
  }
  const pct = op.state === 'succeeded' ? 100 : Math.max(0, Math.min(100, op.progress.percent));
  return html`<span class="progress-cell"
    ><progress class="bar" value="${pct}" max="100">${pct}%</progress>
    <span class="small" data-progress="${pct}">${Math.round(pct)}%</span></span
  >`;
}

function operationsTable(rows: OperationRecord[], now: number): SafeHtml {
  return html`<div class="table-wrap">
    <table class="operations">
      <thead>
        <tr>
          <th>Name</th>
          <th>Kind</th>
          <th>State</th>
          <th>Progress</th>
          <th>Created</th>
          <th>Ended</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (op) =>
            html`<tr data-operation="${op.name}">
              <td class="cell-wrap">
                <a href="${opPath(op.name)}"><code>${op.name}</code></a>
              </td>
              <td><code>${op.kind}</code></td>
              <td>${stateBadge(op.state)}</td>
              <td>${progressCell(op)}</td>
              <td>${when(op.createdAt, now)}</td>
              <td>${when(op.endedAt, now)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

interface TimelineEntry {
  at: number;
  label: SafeHtml;
}

function timeline(op: OperationRecord, events: EventRecord[], now: number): SafeHtml {
  const entries: TimelineEntry[] = [{ at: op.createdAt, label: html`Created (<code>${op.kind}</code>)` }];
  if (op.startedAt !== null)
    entries.push({ at: op.startedAt, label: html`Started${op.attempt > 1 ? ` (attempt ${op.attempt})` : ''}` });
  for (const e of events) {
    let label = html`<a href="/dashboard/events/${e.id}"><code>${e.type}</code></a>`;
    try {
      const data = (JSON.parse(e.body) as { data?: { progress?: { percent?: unknown; message?: unknown } } }).data;
      const p = data?.progress;
      if (p && typeof p.percent === 'number')
        label = html`${label}
        ${Math.round(p.percent)}%${typeof p.message === 'string' && p.message ? ` · ${p.message}` : ''}`;
    } catch {
      // A body that is not JSON is still an entry.
    }
    entries.push({
      at: e.createdAt,
      label: html`${label} <span class="muted small">${e.deliveryCount} deliveries</span>`,
    });
  }
  if (op.endedAt !== null) entries.push({ at: op.endedAt, label: html`Ended ${stateBadge(op.state)}` });
  entries.sort((a, b) => a.at - b.at);
  return html`<ol class="timeline">
    ${entries.map(
      (t) => html`<li><span class="mono small muted">${iso(t.at)}</span> · ${when(t.at, now)}<br />${t.label}</li>`,
    )}
  </ol>`;
}

/** The operations list (filter by kind and state) and detail (timeline, live progress, cancel). */
export function registerOperationPages(app: FastifyInstance, rt: Runtime): void {
  app.get('/dashboard/operations', { schema: { hide: true } }, async (req, reply) => {
    const { projectId } = rt.viewer(req);
    const now = rt.clock.now();
    const kind = (queryParam(req, 'kind') ?? '').trim() || undefined;
    const stateParam = queryParam(req, 'state');
    const state = stateParam !== undefined && isOperationState(stateParam) ? stateParam : undefined;
    const beforeT = Number(queryParam(req, 'before_t'));
    const beforeN = queryParam(req, 'before_n');
    const before =
      Number.isFinite(beforeT) && beforeT > 0 && beforeN ? { createdAt: beforeT, name: beforeN } : undefined;
    const rows = await rt.reads.operations(projectId, {
      pageSize: PAGE,
      ...(kind ? { kinds: [kind] } : {}),
      ...(state ? { states: [state] } : {}),
      ...(before ? { before } : {}),
    });
    const self = withQuery('/dashboard/operations', { kind, state });
    const last = rows.at(-1);
    const filtered = kind !== undefined || state !== undefined;
    const table =
      rows.length === 0
        ? empty(
            filtered ? 'No operations match these filters' : 'Operations appear here once created',
            filtered
              ? html`<a href="/dashboard/operations">Clear the filters</a>.`
              : html`<p>
                    Start a batch, a video generation, an interaction or a custom operation through the API:
                    <code
                      >curl -s $HERALD_URL/v1beta/operations -H "x-goog-api-key: $HERALD_API_KEY" -H 'content-type:
                      application/json' -d '{"kind":"render.video","metadata":{"scene":1}}'</code
                    >
                  </p>
                  <p>Workers lease it, report progress and complete it; this page follows along live.</p>`,
          )
        : operationsTable(rows, now);
    return rt.send(reply, req, {
      title: 'Operations',
      active: 'operations',
      body: html`<div class="page-head">
          <div>
            <h1>Operations</h1>
            <p class="muted">
              Long-running jobs, newest first: batches, video generation, interactions and custom kinds.
            </p>
          </div>
        </div>
        <form class="filters" method="get" action="/dashboard/operations">
          <label
            >Kind
            <input type="text" name="kind" value="${kind ?? ''}" list="operation-kinds" placeholder="any kind" />
          </label>
          <datalist id="operation-kinds">
            ${(rt.operations?.builtInKinds() ?? []).map((k) => html`<option value="${k}"></option>`)}
          </datalist>
          <label
            >State
            <select name="state">
              <option value="">any</option>
              ${OPERATION_STATES.map(
                (s) => html`<option value="${s}" ${s === state ? raw('selected') : ''}>${s.replace('_', ' ')}</option>`,
              )}
            </select>
          </label>
          <button type="submit">Filter</button>
        </form>
        ${
          before === undefined
            ? liveRegion('live-operations', self, table)
            : html`<div id="live-operations">${table}</div>`
        }
        <div class="pager">
          ${before !== undefined ? html`<a class="btn small" href="${self}">Newest</a>` : ''}
          ${
            rows.length === PAGE && last
              ? html`<a
                  class="btn small"
                  href="${withQuery('/dashboard/operations', { kind, state, before_t: last.createdAt, before_n: last.name })}"
                  >Older →</a
                >`
              : ''
          }
        </div>`,
    });
  });

  const nameOf = (req: FastifyRequest) => {
    const rest = (req.params as Record<string, string | undefined>)['*'] ?? '';
    try {
      return decodeURIComponent(rest);
    } catch {
      return rest;
    }
  };

  app.get('/dashboard/operations/*', { schema: { hide: true } }, async (req, reply) => {
    const { projectId, csrf } = rt.viewer(req);
    const now = rt.clock.now();
    const name = nameOf(req);
    const op = await rt.reads.operation(projectId, name);
    const events = await rt.reads.recentEvents(projectId, { operation: op.name, pageSize: 200 });
    const self = opPath(op.name);
    const cancelled = queryParam(req, 'flash') === 'cancelled';
    const ran = op.startedAt !== null ? (op.endedAt ?? now) - op.startedAt : null;
    const content = html`${cancelled ? flash('info', 'Cancel requested: the operation is cancelled.') : ''}
      <div class="page-head">
        <div>
          <h1><code>${op.name}</code> ${stateBadge(op.state)}</h1>
          <p class="muted"><code>${op.kind}</code> · created ${when(op.createdAt, now)}</p>
        </div>
        <div class="actions">
          ${
            !isFinal(op.state) && rt.operations
              ? html`<form method="post" action="/dashboard/operations-cancel">
                  ${csrfField(csrf)}<input type="hidden" name="name" value="${op.name}" />
                  <button class="danger" type="submit" data-action="cancel-operation">Cancel operation</button>
                </form>`
              : ''
          }
        </div>
      </div>
      <div class="panel">
        <h2>Progress</h2>
        ${
          op.progress !== null
            ? html`<div class="progress-line">${progressCell(op)} <span>${op.progress.message}</span></div>`
            : html`<p class="muted">
                ${
                  op.state === 'pending'
                    ? 'Waiting for a worker to lease it.'
                    : isFinal(op.state)
                      ? 'No progress was reported.'
                      : 'Running; no progress reported yet.'
                }
              </p>`
        }
        <dl class="props">
          <dt>State</dt>
          <dd>${stateBadge(op.state)}</dd>
          <dt>Attempt</dt>
          <dd>${op.attempt}</dd>
          <dt>Started</dt>
          <dd>${when(op.startedAt, now)}</dd>
          <dt>Ended</dt>
          <dd>${when(op.endedAt, now)}</dd>
          <dt>Running time</dt>
          <dd>${ran !== null ? duration(ran) : html`<span class="muted">—</span>`}</dd>
          <dt>Expires</dt>
          <dd>
            ${op.expireAt !== null && !isFinal(op.state) ? when(op.expireAt, now) : html`<span class="muted">—</span>`}
          </dd>
          <dt>Lease</dt>
          <dd>
            ${
              op.leaseOwner !== null
                ? html`<code>${op.leaseOwner}</code> · expires ${when(op.leaseUntil, now)}`
                : html`<span class="muted">none</span>`
            }
          </dd>
        </dl>
      </div>
      ${
        op.error !== null
          ? html`<div class="panel">
              <h2>Error</h2>
              <p><code>${String(op.error.code)}</code> ${op.error.message}</p>
            </div>`
          : ''
      }
      ${
        op.result !== null
          ? html`<h2>Result</h2>
              <pre class="payload">${prettyJson(JSON.stringify(op.result))}</pre>`
          : ''
      }
      <h2>Timeline</h2>
      <div class="panel">${timeline(op, [...events].reverse(), now)}</div>
      ${
        op.webhookConfig !== null
          ? html`<h2>Webhook config</h2>
              <p class="muted small">Per-request destinations: they replace the static webhooks for this operation.</p>
              <pre class="payload">
${prettyJson(
                  JSON.stringify({
                    uris: op.webhookConfig.uris ?? [],
                    user_metadata: op.webhookConfig.userMetadata ?? {},
                  }),
                )}</pre>`
          : ''
      }
      <h2>Metadata</h2>
      <pre class="payload">${prettyJson(JSON.stringify(op.metadata))}</pre>`;
    return rt.send(reply, req, {
      title: `Operation ${op.name}`,
      active: 'operations',
      body: liveRegion('live-operation', self, content),
    });
  });

  app.post('/dashboard/operations-cancel', { schema: { hide: true } }, async (req, reply) => {
    const { projectId } = rt.viewer(req);
    const name = formOf(req).get('name') ?? '';
    if (!rt.operations) throw notFound('operations are not enabled on this server');
    await rt.operations.cancel(projectId, name);
    rt.live.notify(projectId, 'operation');
    return reply.redirect(`${opPath(name)}?flash=cancelled`, 303);
  });
}
