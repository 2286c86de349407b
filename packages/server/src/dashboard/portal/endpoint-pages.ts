import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkUri } from '../../delivery/transport/check-destination-uri.js';
import { asApiError } from '../../http/from-domain-error.js';
import { invalidArgument } from '../../kernel/domain-errors.js';
import { checkName, checkSubscribedEvents } from '../../services/validate-webhook-input.js';
import { html } from '../html.js';
import { badge, csrfField, empty, flash, iso, when } from '../layout.js';
import { toRfc3339 } from '../pages/replay.js';
import { eventsOf, readForm, webhookFields, type WebhookForm } from '../pages/webhooks.js';
import { formOf } from '../runtime.js';
import { endpointPage, flashOf } from './endpoint-page.js';
import type { PortalRuntime } from './portal-runtime.js';

/** Endpoints: list and add (the home page), then one endpoint's page with everything it can do. */
export function registerPortalEndpointPages(app: FastifyInstance, rt: PortalRuntime): void {
  const home = async (req: FastifyRequest, reply: FastifyReply, opts: { error?: string; form?: WebhookForm } = {}) => {
    const { projectId, csrf, base } = rt.viewer(req);
    const now = rt.clock.now();
    const rows = await rt.webhooks.list(projectId, 1000);
    return rt.send(reply, req, {
      title: 'Endpoints',
      active: 'endpoints',
      status: opts.error ? 400 : 200,
      body: html`${flashOf(req)}
        <div class="page-head">
          <div>
            <h1>Endpoints</h1>
            <p class="muted">The URLs that receive your webhooks, signed with Standard Webhooks (HMAC).</p>
          </div>
          <a class="btn primary" href="#create">Add endpoint</a>
        </div>
        ${
          rows.length === 0
            ? empty('No endpoints yet', html`Add one below: the URL of your receiver and the events it wants.`)
            : html`<div class="table-wrap">
                <table class="webhooks">
                  <thead>
                    <tr>
                      <th>Name</th>
                      <th>URL</th>
                      <th>Events</th>
                      <th>State</th>
                      <th>Last success</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${rows.map(
                      (w) =>
                        html`<tr data-webhook="${w.id}">
                          <td>
                            <a href="${base}/webhooks/${w.id}"
                              >${w.name || html`<span class="muted">(unnamed)</span>`}</a
                            >
                          </td>
                          <td class="cell-wrap"><code>${w.uri}</code></td>
                          <td class="cell-wrap small">${w.subscribedEvents.join(', ')}</td>
                          <td>${badge(w.state)}</td>
                          <td>${when(w.lastSuccessAt, now)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
        }
        <div class="panel" id="create">
          <h2>Add an endpoint</h2>
          ${opts.error ? flash('bad', opts.error) : ''}
          <form class="stack" method="post" action="${base}/webhooks">
            ${csrfField(csrf)} ${webhookFields(opts.form ?? { name: '', uri: '', events: [], custom: '' })}
            <div><button class="primary" type="submit" data-action="create-webhook">Add endpoint</button></div>
          </form>
        </div>`,
    });
  };

  app.get('/', { schema: { hide: true } }, async (req, reply) => home(req, reply));

  app.post('/webhooks', { schema: { hide: true } }, async (req, reply) => {
    const { projectId } = rt.viewer(req);
    const f = readForm(formOf(req));
    try {
      if (!f.uri) throw invalidArgument('Endpoint URL is required: the URL that receives the events.');
      const created = await rt.webhooks.create(projectId, {
        name: checkName(f.name),
        uri: checkUri(f.uri, rt.urlPolicy),
        subscribedEvents: checkSubscribedEvents(eventsOf(f), 'events'),
      });
      return await endpointPage(rt, req, reply, created.webhook.id, {
        secret: { value: created.secret, what: 'created' },
      });
    } catch (err) {
      const known = asApiError(err);
      if (known?.httpCode === 400) return home(req, reply, { error: known.message, form: f });
      throw err;
    }
  });

  type ById = { Params: { id: string } };
  const badRequest = async (req: FastifyRequest, reply: FastifyReply, id: string, err: unknown, form?: WebhookForm) => {
    const known = asApiError(err);
    if (known?.httpCode === 400 || known?.httpCode === 409)
      return endpointPage(rt, req, reply, id, { error: known.message, ...(form ? { form } : {}) });
    throw err;
  };

  app.get<ById>('/webhooks/:id', { schema: { hide: true } }, async (req, reply) =>
    endpointPage(rt, req, reply, req.params.id),
  );

  app.post<ById>('/webhooks/:id/update', { schema: { hide: true } }, async (req, reply) => {
    const { projectId, base } = rt.viewer(req);
    const f = readForm(formOf(req));
    try {
      if (!f.uri) throw invalidArgument('Endpoint URL is required.');
      await rt.webhooks.update(projectId, req.params.id, {
        name: checkName(f.name),
        uri: checkUri(f.uri, rt.urlPolicy),
        subscribedEvents: checkSubscribedEvents(eventsOf(f), 'events'),
      });
    } catch (err) {
      return badRequest(req, reply, req.params.id, err, f);
    }
    return reply.redirect(`${base}/webhooks/${req.params.id}?flash=updated`, 303);
  });

  app.post<ById>('/webhooks/:id/state', { schema: { hide: true } }, async (req, reply) => {
    const { projectId, base } = rt.viewer(req);
    const state = formOf(req).get('state');
    if (state !== 'enabled' && state !== 'disabled') throw invalidArgument('state must be enabled or disabled');
    await rt.webhooks.update(projectId, req.params.id, { state });
    return reply.redirect(`${base}/webhooks/${req.params.id}?flash=${state}`, 303);
  });

  app.post<ById>('/webhooks/:id/rotate', { schema: { hide: true } }, async (req, reply) => {
    const { projectId } = rt.viewer(req);
    const { secret } = await rt.webhooks.rotate(projectId, req.params.id, 'revoke_previous_secrets_after_h24');
    return endpointPage(rt, req, reply, req.params.id, { secret: { value: secret, what: 'rotated' } });
  });

  app.post<ById>('/webhooks/:id/ping', { schema: { hide: true } }, async (req, reply) => {
    const { projectId, base } = rt.viewer(req);
    await rt.webhooks.ping(projectId, req.params.id);
    return reply.redirect(`${base}/webhooks/${req.params.id}?flash=pinged`, 303);
  });

  app.post<ById>('/webhooks/:id/delete', { schema: { hide: true } }, async (req, reply) => {
    const { projectId, base } = rt.viewer(req);
    if (formOf(req).get('confirm') !== 'yes') throw invalidArgument('Tick "I understand" to delete the endpoint.');
    await rt.webhooks.delete(projectId, req.params.id);
    return reply.redirect(`${base}/?flash=deleted`, 303);
  });

  app.post<ById>('/webhooks/:id/replay', { schema: { hide: true } }, async (req, reply) => {
    const { projectId } = rt.viewer(req);
    const form = formOf(req);
    try {
      const since = toRfc3339(form.get('since') ?? '', 'Since');
      if (!since) throw invalidArgument('Since is required: the start of the window to replay.');
      const r = await rt.replay.replay(projectId, req.params.id, {
        since,
        until: toRfc3339(form.get('until') ?? '', 'Until'),
        onlyFailed: form.get('only_failed') === 'true',
      });
      const message =
        r.replayed === 0
          ? 'Nothing to replay in this window.'
          : `${r.replayed} ${r.replayed === 1 ? 'delivery' : 'deliveries'} queued for replay${
              r.truncated && r.nextSince ? `; more remain: replay again from ${iso(Date.parse(r.nextSince))}` : ''
            }.`;
      const notice = flash(
        r.replayed > 0 ? 'ok' : 'info',
        html`<strong data-replayed="${r.replayed}">${message}</strong>`,
      );
      return await endpointPage(rt, req, reply, req.params.id, { notice });
    } catch (err) {
      return badRequest(req, reply, req.params.id, err);
    }
  });
}
