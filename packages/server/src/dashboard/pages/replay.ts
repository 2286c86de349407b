import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { asApiError } from '../../http/from-domain-error.js';
import { invalidArgument } from '../../kernel/domain-errors.js';
import type { ReplayOutcome } from '../../services/replay-service.js';
import { html, raw, type SafeHtml } from '../html.js';
import { badge, csrfField, empty, flash, iso, withQuery } from '../layout.js';
import { formOf, queryParam, type Runtime } from '../runtime.js';

interface ReplayForm {
  webhook: string;
  since: string;
  until: string;
  onlyFailed: boolean;
}

/** `datetime-local` values have no zone: the form says they are UTC. RFC 3339 is accepted too. */
export function toRfc3339(value: string, field: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(v)) return `${v}Z`;
  if (/^\d{4}-\d\d-\d\dT.*(Z|[+-]\d\d:\d\d)$/i.test(v)) return v;
  throw invalidArgument(
    `${field} must be a date and time in UTC, like 2026-05-04T12:00, or RFC 3339; got "${v.slice(0, 60)}"`,
  );
}

/** The `datetime-local` value (UTC, minutes) of an instant or RFC 3339 string. */
export function localValue(v: string | number | undefined): string {
  if (v === undefined || v === '') return '';
  const ms = typeof v === 'number' ? v : Date.parse(/Z|[+-]\d\d:\d\d$/i.test(v) ? v : `${v}Z`);
  return Number.isFinite(ms) ? iso(ms).slice(0, 16) : '';
}

export function registerReplayPage(app: FastifyInstance, rt: Runtime): void {
  const replayPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: { form: ReplayForm; error?: string; result?: ReplayOutcome; status?: number },
  ) => {
    const { projectId, csrf } = rt.viewer(req);
    const now = rt.clock.now();
    const webhooks = await rt.webhooks.list(projectId, 1000);
    const f = opts.form;
    const selected = webhooks.find((w) => w.id === f.webhook);
    const preset = (label: string, agoMs: number) =>
      html`<a
        class="btn small"
        href="${withQuery('/dashboard/replay', { webhook: f.webhook, since: iso(now - agoMs) })}"
        >${label}</a
      >`;
    let result: SafeHtml | string = '';
    if (opts.result) {
      const r = opts.result;
      result = flash(
        r.replayed > 0 ? 'ok' : 'info',
        html`<strong data-replayed="${r.replayed}"
            >${
              r.replayed === 0
                ? 'Nothing to replay in this window.'
                : `${r.replayed} ${r.replayed === 1 ? 'delivery' : 'deliveries'} queued for replay.`
            }</strong
          >
          ${
            r.replayed > 0
              ? html`${r.requeued} sent again, ${r.created} never sent before (the webhook was disabled).
                  <a href="${withQuery('/dashboard/deliveries', { webhook: f.webhook })}"
                    >Watch them in Deliveries →</a
                  >`
              : ''
          }
          ${
            r.truncated && r.nextSince
              ? html`<br />Stopped at the limit of one call.
                  <a href="${withQuery('/dashboard/replay', { webhook: f.webhook, since: r.nextSince })}"
                    >Continue from ${r.nextSince}</a
                  >.`
              : ''
          }`,
      );
    }
    return rt.send(reply, req, {
      title: 'Replay',
      active: 'replay',
      status: opts.status ?? 200,
      body: html`<div class="page-head">
          <div>
            <h1>Replay</h1>
            <p class="muted">
              Send a webhook, once more, the events it did not get: failed and cancelled deliveries since a time, and
              events that happened while it was disabled. Same <code>webhook-id</code> and body, fresh signature.
            </p>
          </div>
        </div>
        ${result} ${opts.error ? flash('bad', opts.error) : ''}
        ${
          webhooks.length === 0
            ? empty('No webhooks to replay', html`<a href="/dashboard/webhooks#create">Create a webhook</a> first.`)
            : html`<div class="panel">
                <form class="stack" method="post" action="/dashboard/replay">
                  ${csrfField(csrf)}
                  <label
                    >Webhook
                    <select name="webhook" required>
                      <option value="">choose a webhook</option>
                      ${webhooks.map(
                        (w) =>
                          html`<option value="${w.id}" ${w.id === f.webhook ? raw('selected') : ''}>
                            ${w.name || w.id}${w.state === 'enabled' ? '' : ` (${w.state.replaceAll('_', ' ')})`}
                          </option>`,
                      )}
                    </select>
                    ${
                      selected && selected.state !== 'enabled'
                        ? html`<span class="hint"
                            >${badge(selected.state)} Enable it on
                            <a href="/dashboard/webhooks/${selected.id}">its page</a> first: a disabled webhook cannot
                            be replayed.</span
                          >`
                        : ''
                    }
                  </label>
                  <label
                    >Since (UTC) <span class="hint">Events created at or after this time.</span>
                    <input type="datetime-local" name="since" value="${localValue(f.since)}" required step="1" />
                  </label>
                  <div class="actions">
                    ${preset('Last hour', 3_600_000)} ${preset('Last 24 h', 86_400_000)}
                    ${preset('Last 7 days', 7 * 86_400_000)}
                  </div>
                  <label
                    >Until (UTC) <span class="hint">Optional; defaults to now.</span>
                    <input type="datetime-local" name="until" value="${localValue(f.until)}" step="1" />
                  </label>
                  <fieldset>
                    <legend>Which deliveries</legend>
                    <label class="check"
                      ><input type="radio" name="only_failed" value="true" ${f.onlyFailed ? raw('checked') : ''} />
                      Failed and cancelled only (recommended)</label
                    >
                    <label class="check"
                      ><input type="radio" name="only_failed" value="false" ${f.onlyFailed ? '' : raw('checked')} />
                      Every event in the window, successful ones too</label
                    >
                  </fieldset>
                  <div><button class="primary" type="submit" data-action="replay">Replay</button></div>
                  <p class="muted small">
                    At most 10,000 deliveries per replay. Each is attempted once; what still fails can be replayed
                    again. API: <code>POST /v1beta/webhooks/{id}:replay</code>.
                  </p>
                </form>
              </div>`
        }`,
    });
  };

  app.get('/dashboard/replay', { schema: { hide: true } }, async (req, reply) =>
    replayPage(req, reply, {
      form: {
        webhook: queryParam(req, 'webhook') ?? '',
        since: queryParam(req, 'since') ?? iso(rt.clock.now() - 3_600_000),
        until: '',
        onlyFailed: true,
      },
    }),
  );

  app.post('/dashboard/replay', { schema: { hide: true } }, async (req, reply) => {
    const { projectId } = rt.viewer(req);
    const body = formOf(req);
    const form: ReplayForm = {
      webhook: body.get('webhook') ?? '',
      since: body.get('since') ?? '',
      until: body.get('until') ?? '',
      onlyFailed: body.get('only_failed') !== 'false',
    };
    try {
      if (!form.webhook) throw invalidArgument('Choose the webhook to replay.');
      const since = toRfc3339(form.since, 'Since');
      if (!since) throw invalidArgument('Since is required.');
      const result = await rt.replay.replay(projectId, form.webhook, {
        since,
        until: toRfc3339(form.until, 'Until'),
        onlyFailed: form.onlyFailed,
      });
      rt.live.notify(projectId, 'delivery');
      return await replayPage(req, reply, { form, result });
    } catch (err) {
      const known = asApiError(err);
      if (known) return replayPage(req, reply, { form, error: known.message, status: known.httpCode });
      throw err;
    }
  });
}
