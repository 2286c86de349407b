import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../html.js';
import { badge, csrfField, empty, flash, when } from '../layout.js';
import { deliveriesTable } from '../pages/deliveries.js';
import { localValue } from '../pages/replay.js';
import { secretPanel, webhookFields, type WebhookForm } from '../pages/webhooks.js';
import { queryParam } from '../runtime.js';
import type { PortalRuntime } from './portal-runtime.js';

const FLASHES: Record<string, SafeHtml> = {
  pinged: flash('ok', 'Test event queued: a signed webhook.ping appears in the deliveries below in a moment.'),
  updated: flash('ok', 'Endpoint saved.'),
  enabled: flash('ok', 'Endpoint enabled. Replay what it missed while it was disabled, if anything.'),
  disabled: flash('info', 'Endpoint disabled: its pending deliveries were cancelled and new events skip it.'),
  deleted: flash('info', 'Endpoint deleted.'),
};

/** The flash a redirect asked for (`?flash=`), or nothing. */
export const flashOf = (req: FastifyRequest) => FLASHES[queryParam(req, 'flash') ?? ''] ?? '';

/** One endpoint's page: its state, test event, secret rotation, recent deliveries, replay, edit, delete. */
export async function endpointPage(
  rt: PortalRuntime,
  req: FastifyRequest,
  reply: FastifyReply,
  id: string,
  opts: {
    secret?: { value: string; what: 'created' | 'rotated' };
    error?: string;
    form?: WebhookForm;
    notice?: SafeHtml;
  } = {},
) {
  const { projectId, csrf, base } = rt.viewer(req);
  const now = rt.clock.now();
  const w = await rt.webhooks.get(projectId, id);
  const recent = await rt.deliveries.list(projectId, { webhookId: w.id, pageSize: 20 });
  const self = `${base}/webhooks/${w.id}`;
  const action = (path: string, label: string, fields: Record<string, string> = {}, cls = '') =>
    html`<form method="post" action="${self}/${path}">
      ${csrfField(csrf)}${Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}
      <button class="${cls}" type="submit" data-action="${fields.state ?? path}">${label}</button>
    </form>`;
  const f = opts.form ?? { name: w.name, uri: w.uri, events: w.subscribedEvents, custom: '' };
  return rt.send(reply, req, {
    title: w.name || 'Endpoint',
    active: 'endpoints',
    status: opts.error ? 400 : 200,
    body: html`${opts.secret ? secretPanel(opts.secret.value, opts.secret.what, self) : ''} ${flashOf(req)}
      ${opts.notice ?? ''} ${opts.error ? flash('bad', opts.error) : ''}
      <div class="page-head">
        <div>
          <h1>${w.name || html`<span class="muted">(unnamed endpoint)</span>`} ${badge(w.state)}</h1>
          <p class="muted mono">${w.id}</p>
        </div>
        <div class="actions">
          ${action('ping', 'Send test event', {}, 'primary')}
          ${
            w.state === 'enabled'
              ? action('state', 'Disable', { state: 'disabled' })
              : action('state', 'Enable', { state: 'enabled' }, 'primary')
          }
          ${action('rotate', 'Rotate secret')}
        </div>
      </div>
      <div class="panel">
        <dl class="props">
          <dt>URL</dt>
          <dd><code>${w.uri}</code></dd>
          <dt>Events</dt>
          <dd>${w.subscribedEvents.map((e) => html`<code>${e}</code> `)}</dd>
          <dt>Signing secrets</dt>
          <dd>
            ${w.secrets.map(
              (s) =>
                html`<code>${s.truncated}</code>
                  ${s.expireAt !== null ? html`<span class="muted small">expires ${when(s.expireAt, now)}</span>` : ''}<br />`,
            )}
          </dd>
          <dt>Last success</dt>
          <dd>${when(w.lastSuccessAt, now)}</dd>
        </dl>
      </div>
      <h2>Recent deliveries</h2>
      ${
        recent.length === 0
          ? empty('No deliveries yet', html`Send a test event to check the endpoint.`)
          : deliveriesTable(recent, new Map([[w.id, w.name]]), now, base)
      }
      <div class="panel" id="replay">
        <h2>Replay</h2>
        <p class="muted">Send the events of a time window (UTC) to this endpoint again, signed afresh.</p>
        <form class="stack" method="post" action="${self}/replay">
          ${csrfField(csrf)}
          <label
            >Since (UTC) <input type="datetime-local" name="since" required value="${localValue(now - 3_600_000)}"
          /></label>
          <label
            >Until (UTC) <span class="hint">Empty: until now.</span><input type="datetime-local" name="until"
          /></label>
          <label class="check"
            ><input type="checkbox" name="only_failed" value="true" checked /> Only failed deliveries</label
          >
          <div><button type="submit" data-action="replay">Replay</button></div>
        </form>
      </div>
      <div class="panel" id="edit">
        <h2>Edit</h2>
        <form class="stack" method="post" action="${self}/update">
          ${csrfField(csrf)} ${webhookFields(f)}
          <div><button class="primary" type="submit" data-action="save">Save</button></div>
        </form>
      </div>
      <div class="panel">
        <h2>Delete</h2>
        <form class="inline" method="post" action="${self}/delete">
          ${csrfField(csrf)}
          <label class="check"><input type="checkbox" name="confirm" value="yes" required /> I understand</label>
          <button class="danger" type="submit" data-action="delete">Delete endpoint</button>
        </form>
      </div>`,
  });
}
