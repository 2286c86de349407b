import { GEMINI_EVENT_TYPES, HERALD_EVENT_TYPES } from '@herald/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { asApiError } from '../../http/from-domain-error.js';
import { invalidArgument } from '../../kernel/domain-errors.js';
import type { WebhookRecord } from '../../model/records.js';
import { checkUri } from '../../delivery/transport/check-destination-uri.js';
import { checkName, checkRevocationBehavior, checkSubscribedEvents } from '../../services/validate-webhook-input.js';
import { html, raw, type SafeHtml } from '../html.js';
import { badge, csrfField, empty, flash, iso, liveRegion, when, withQuery } from '../layout.js';
import { formOf, queryParam, type Runtime } from '../runtime.js';
import { deliveriesTable } from './deliveries.js';

export const CATALOG: readonly string[] = [
  ...GEMINI_EVENT_TYPES,
  ...HERALD_EVENT_TYPES.filter((t) => t !== 'webhook.ping'),
];

export interface WebhookForm {
  name: string;
  uri: string;
  events: string[];
  custom: string;
}

/** Reads name, URI and event types (checkboxes plus a comma-separated "custom" field). */
export function readForm(form: URLSearchParams): WebhookForm {
  return {
    name: (form.get('name') ?? '').trim(),
    uri: (form.get('uri') ?? '').trim(),
    events: form.getAll('events'),
    custom: form.get('custom_events') ?? '',
  };
}

export function eventsOf(f: WebhookForm): string[] {
  const custom = f.custom
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return [...f.events, ...custom];
}

export function webhookFields(f: WebhookForm): SafeHtml {
  const chosen = new Set(f.events);
  const custom = [...eventsOf(f).filter((e) => !CATALOG.includes(e))].join(', ');
  return html`<label
      >Name <span class="hint">Shown in this dashboard and in the API. Optional.</span>
      <input type="text" name="name" value="${f.name}" maxlength="256" placeholder="billing receiver" />
    </label>
    <label
      >Endpoint URL <span class="hint">Herald POSTs signed events here (Standard Webhooks).</span>
      <input type="url" name="uri" value="${f.uri}" required placeholder="https://example.com/webhooks" />
    </label>
    <fieldset>
      <legend>Events</legend>
      <div class="checks">
        ${CATALOG.map(
          (t) =>
            html`<label
              ><input type="checkbox" name="events" value="${t}" ${chosen.has(t) ? raw('checked') : ''} />${t}</label
            >`,
        )}
      </div>
      <label class="spaced"
        >Custom event types <span class="hint">Comma-separated, e.g. <code>invoice.ready, report.done</code>.</span>
        <input type="text" name="custom_events" value="${custom}" />
      </label>
    </fieldset>`;
}

export function secretPanel(secret: string, what: 'created' | 'rotated', canonical: string): SafeHtml {
  return html`<div class="secret" data-secret-once data-canonical="${canonical}">
    <strong
      >${what === 'created' ? 'Webhook created.' : 'Signing secret rotated.'} Copy the signing secret now: it is shown
      only once.</strong
    >
    <div class="value">
      <code id="new-secret">${secret}</code>
      <button type="button" class="small" data-copy="new-secret">Copy</button>
    </div>
    <span class="muted small"
      >Your receiver verifies every delivery with it (<code>new Webhook(secret).verify(body, headers)</code>). Lost it?
      Rotate the secret to get a new one.</span
    >
  </div>`;
}

function webhooksTable(rows: WebhookRecord[], now: number): SafeHtml {
  return html`<div class="table-wrap">
    <table class="webhooks">
      <thead>
        <tr>
          <th>Name</th>
          <th>Endpoint</th>
          <th>Events</th>
          <th>State</th>
          <th>Last success</th>
          <th>Created</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (w) =>
            html`<tr data-webhook="${w.id}">
              <td><a href="/dashboard/webhooks/${w.id}">${w.name || html`<span class="muted">(unnamed)</span>`}</a></td>
              <td class="cell-wrap"><code>${w.uri}</code></td>
              <td class="cell-wrap small">${w.subscribedEvents.join(', ')}</td>
              <td>${badge(w.state)}</td>
              <td>${when(w.lastSuccessAt, now)}</td>
              <td>${when(w.createdAt, now)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

const FLASHES: Record<string, SafeHtml> = {
  pinged: flash('ok', 'Ping queued: a signed webhook.ping appears in the deliveries below in a moment.'),
  updated: flash('ok', 'Webhook saved.'),
  enabled: flash('ok', 'Webhook enabled. Replay what it missed while it was disabled, if anything.'),
  disabled: flash('info', 'Webhook disabled: its pending deliveries were cancelled and new events skip it.'),
  deleted: flash('info', 'Webhook deleted.'),
};

export function registerWebhookPages(app: FastifyInstance, rt: Runtime): void {
  const listPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: { error?: string; form?: WebhookForm; status?: number } = {},
  ) => {
    const { projectId, csrf } = rt.viewer(req);
    const now = rt.clock.now();
    const rows = await rt.webhooks.list(projectId, 1000);
    const f = opts.form ?? { name: '', uri: '', events: [], custom: '' };
    const flashCode = queryParam(req, 'flash');
    return rt.send(reply, req, {
      title: 'Webhooks',
      active: 'webhooks',
      status: opts.status ?? 200,
      body: html`${flashCode && FLASHES[flashCode] ? FLASHES[flashCode] : ''}
        <div class="page-head">
          <div>
            <h1>Webhooks</h1>
            <p class="muted">Static endpoints of this project, signed with HMAC (<code>v1</code>).</p>
          </div>
          <a class="btn primary" href="#create">New webhook</a>
        </div>
        ${
          rows.length === 0
            ? empty(
                'No webhooks yet',
                html`Create one below: give it the URL of your receiver and the events it wants.`,
              )
            : liveRegion('live-webhooks', '/dashboard/webhooks', webhooksTable(rows, now))
        }
        <div class="panel" id="create">
          <h2>Create a webhook</h2>
          ${opts.error ? flash('bad', opts.error) : ''}
          <form class="stack" method="post" action="/dashboard/webhooks">
            ${csrfField(csrf)} ${webhookFields(f)}
            <div><button class="primary" type="submit" data-action="create-webhook">Create webhook</button></div>
          </form>
        </div>`,
    });
  };

  app.get('/dashboard/webhooks', { schema: { hide: true } }, async (req, reply) => listPage(req, reply));

  app.post('/dashboard/webhooks', { schema: { hide: true } }, async (req, reply) => {
    const { projectId } = rt.viewer(req);
    const f = readForm(formOf(req));
    let created: Awaited<ReturnType<typeof rt.webhooks.create>>;
    try {
      if (!f.uri) throw invalidArgument('Endpoint URL is required: the URL that receives the events.');
      created = await rt.webhooks.create(projectId, {
        name: checkName(f.name),
        uri: checkUri(f.uri, rt.urlPolicy),
        subscribedEvents: checkSubscribedEvents(eventsOf(f), 'events'),
      });
    } catch (err) {
      const known = asApiError(err);
      if (known) return listPage(req, reply, { error: known.message, form: f, status: 400 });
      throw err;
    }
    rt.live.notify(projectId, 'webhook');
    return detailPage(req, reply, created.webhook.id, { secret: { value: created.secret, what: 'created' } });
  });

  const detailPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    opts: {
      secret?: { value: string; what: 'created' | 'rotated' };
      error?: string;
      form?: WebhookForm;
      status?: number;
    } = {},
  ) => {
    const { projectId, csrf } = rt.viewer(req);
    const now = rt.clock.now();
    const w = await rt.webhooks.get(projectId, id);
    const recent = await rt.deliveries.list(projectId, { webhookId: w.id, pageSize: 20 });
    const names = new Map([[w.id, w.name]]);
    const self = `/dashboard/webhooks/${w.id}`;
    const flashCode = queryParam(req, 'flash');
    const f = opts.form ?? { name: w.name, uri: w.uri, events: w.subscribedEvents, custom: '' };
    const action = (
      path: string,
      label: string,
      o: { cls?: string; attrs?: SafeHtml; name?: string; fields?: Record<string, string> } = {},
    ) =>
      html`<form method="post" action="${self}/${path}" ${o.attrs ?? ''}>
        ${csrfField(csrf)}${Object.entries(o.fields ?? {}).map(
          ([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`,
        )}<button class="${o.cls ?? ''}" type="submit" data-action="${o.name ?? path}">${label}</button>
      </form>`;
    const deliveries = html`${flashCode && FLASHES[flashCode] ? FLASHES[flashCode] : ''}
      <h2>Recent deliveries</h2>
      ${
        recent.length === 0
          ? empty('No deliveries yet', html`Send a ping to check the endpoint, or emit an event it subscribes to.`)
          : html`${deliveriesTable(recent, names, now)}
              <p>
                <a href="${withQuery('/dashboard/deliveries', { webhook: w.id })}">All deliveries of this webhook →</a>
              </p>`
      }`;
    return rt.send(reply, req, {
      title: w.name || w.id,
      active: 'webhooks',
      status: opts.status ?? 200,
      body: html`${opts.secret ? secretPanel(opts.secret.value, opts.secret.what, self) : ''}
        ${liveRegion(
          'live-webhook',
          self,
          html` <div class="page-head">
              <div>
                <h1>${w.name || html`<span class="muted">(unnamed webhook)</span>`} ${badge(w.state)}</h1>
                <p class="muted mono">${w.id}</p>
              </div>
              <div class="actions">
                ${action('ping', 'Send ping', {
                  cls: 'primary',
                  attrs: html`hx-post="${self}/ping" hx-target="#live-webhook" hx-select="#live-webhook"
                  hx-swap="outerHTML"`,
                })}
                ${
                  w.state === 'enabled'
                    ? action('state', 'Disable', { name: 'disable', fields: { state: 'disabled' } })
                    : action('state', 'Enable', { name: 'enable', cls: 'primary', fields: { state: 'enabled' } })
                }
                ${action('rotate', 'Rotate secret')}
                <a class="btn" href="${withQuery('/dashboard/replay', { webhook: w.id })}">Replay…</a>
              </div>
            </div>
            ${
              w.state === 'disabled_due_to_failed_deliveries'
                ? flash(
                    'bad',
                    html`Herald disabled this webhook because its deliveries kept failing. Fix the endpoint, enable it,
                      then
                      <a
                        href="${withQuery('/dashboard/replay', { webhook: w.id, since: iso(w.updatedAt - 86_400_000) })}"
                        >replay what it missed</a
                      >.`,
                  )
                : ''
            }
            <div class="panel">
              <dl class="props">
                <dt>Endpoint</dt>
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
                <dt>Created</dt>
                <dd>${when(w.createdAt, now)}</dd>
                <dt>Updated</dt>
                <dd>${when(w.updatedAt, now)}</dd>
              </dl>
            </div>
            ${deliveries}`,
        )}
        <div class="panel" id="edit">
          <h2>Edit</h2>
          ${opts.error ? flash('bad', opts.error) : ''}
          <form class="stack" method="post" action="${self}/update">
            ${csrfField(csrf)} ${webhookFields(f)}
            <div><button class="primary" type="submit" data-action="save">Save</button></div>
          </form>
        </div>
        <div class="panel">
          <h2>Danger zone</h2>
          <form class="inline" method="post" action="${self}/rotate">
            ${csrfField(csrf)}
            <input type="hidden" name="revocation_behavior" value="revoke_previous_secrets_immediately" />
            <button class="danger" type="submit">Rotate and revoke old secrets now</button>
            <span class="muted small">Plain "Rotate secret" keeps the old secret valid for 24 h.</span>
          </form>
          <form class="inline" method="post" action="${self}/delete">
            ${csrfField(csrf)}
            <label class="check"><input type="checkbox" name="confirm" value="yes" required /> I understand</label>
            <button class="danger" type="submit" data-action="delete">Delete webhook</button>
          </form>
        </div>`,
    });
  };

  app.get<{ Params: { id: string } }>('/dashboard/webhooks/:id', { schema: { hide: true } }, async (req, reply) =>
    detailPage(req, reply, req.params.id),
  );

  app.post<{ Params: { id: string } }>(
    '/dashboard/webhooks/:id/update',
    { schema: { hide: true } },
    async (req, reply) => {
      const { projectId } = rt.viewer(req);
      const f = readForm(formOf(req));
      try {
        if (!f.uri) throw invalidArgument('Endpoint URL is required.');
        await rt.webhooks.update(projectId, req.params.id, {
          name: checkName(f.name),
          uri: checkUri(f.uri, rt.urlPolicy),
          subscribedEvents: checkSubscribedEvents(eventsOf(f), 'events'),
        });
      } catch (err) {
        const known = asApiError(err);
        if (known?.httpCode === 400)
          return detailPage(req, reply, req.params.id, { error: known.message, form: f, status: 400 });
        throw err;
      }
      rt.live.notify(projectId, 'webhook');
      return reply.redirect(`/dashboard/webhooks/${req.params.id}?flash=updated`, 303);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/dashboard/webhooks/:id/state',
    { schema: { hide: true } },
    async (req, reply) => {
      const { projectId } = rt.viewer(req);
      const state = formOf(req).get('state');
      if (state !== 'enabled' && state !== 'disabled') throw invalidArgument('state must be enabled or disabled');
      await rt.webhooks.update(projectId, req.params.id, { state });
      rt.live.notify(projectId, 'webhook');
      return reply.redirect(`/dashboard/webhooks/${req.params.id}?flash=${state}`, 303);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/dashboard/webhooks/:id/rotate',
    { schema: { hide: true } },
    async (req, reply) => {
      const { projectId } = rt.viewer(req);
      const behavior = checkRevocationBehavior(formOf(req).get('revocation_behavior') ?? undefined);
      const { secret } = await rt.webhooks.rotate(projectId, req.params.id, behavior);
      return detailPage(req, reply, req.params.id, { secret: { value: secret, what: 'rotated' } });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/dashboard/webhooks/:id/ping',
    { schema: { hide: true } },
    async (req, reply) => {
      const { projectId } = rt.viewer(req);
      await rt.webhooks.ping(projectId, req.params.id);
      return reply.redirect(`/dashboard/webhooks/${req.params.id}?flash=pinged`, 303);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/dashboard/webhooks/:id/delete',
    { schema: { hide: true } },
    async (req, reply) => {
      const { projectId } = rt.viewer(req);
      if (formOf(req).get('confirm') !== 'yes') throw invalidArgument('Tick "I understand" to delete the webhook.');
      await rt.webhooks.delete(projectId, req.params.id);
      rt.live.notify(projectId, 'webhook');
      return reply.redirect('/dashboard/webhooks?flash=deleted', 303);
    },
  );
}
