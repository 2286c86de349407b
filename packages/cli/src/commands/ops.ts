/**
 * `herald ops list|get|watch|cancel`: long-running operations of every kind (custom operations,
 * Gemini batches, videos and interactions).
 * @module
 */

import { Command } from '@commander-js/extra-typings';
import type { Operation } from '../client.js';
import { UsageError } from '../errors.js';
import { FINAL_BAD, parseOperationName, shownPercent, viewOperation, type OperationView } from '../operation-view.js';
import { createRenderer, watchOperation } from '../ops-watch.js';
import type { Colors } from '../ui/output.js';
import { when } from '../ui/present.js';
import { renderFields, type Column } from '../ui/table.js';
import { clean, formatRelative } from '../ui/text.js';
import { connect, examples, fetchPages, intOption, listOption, moreHint } from './shared.js';

const STATES = ['pending', 'running', 'requires_action', 'succeeded', 'failed', 'cancelled', 'expired'];

function stateStyle(state: string, c: Colors): (t: string) => string {
  if (state === 'succeeded') return c.green;
  if (state === 'failed' || state === 'expired') return c.red;
  if (state === 'cancelled' || state === 'requires_action') return c.yellow;
  if (state === 'running') return c.cyan;
  return c.dim;
}

function operationColumns(c: Colors): Column<Operation>[] {
  return [
    { header: 'NAME', value: (o) => o.name, flex: true },
    { header: 'KIND', value: (o) => o.kind, max: 24 },
    { header: 'STATE', value: (o) => o.state, style: (t, o) => stateStyle(o.state, c)(t) },
    {
      header: 'PROGRESS',
      value: (o) => {
        const percent = shownPercent(o);
        return percent === undefined ? '-' : `${Math.round(percent)}%`;
      },
      align: 'right',
    },
    { header: 'CREATED', value: (o) => formatRelative(o.create_time) },
    { header: 'UPDATED', value: (o) => formatRelative(o.update_time) },
  ];
}

function operationFields(v: OperationView, c: Colors): string {
  return renderFields(
    [
      ['Name', clean(v.name)],
      ['Kind', clean(v.kind)],
      ['State', stateStyle(v.state, c)(v.state)],
      [
        'Progress',
        shownPercent(v) !== undefined
          ? `${Math.round(shownPercent(v)!)}%${v.progress?.message ? ` ${c.dim(clean(v.progress.message, true))}` : ''}`
          : undefined,
      ],
      ['Error', v.error ? `${clean(String(v.error.code))}: ${clean(v.error.message, true)}` : undefined],
      ['Created', when(v.create_time, c)],
      ['Updated', when(v.update_time, c)],
      ['Ended', when(v.end_time, c)],
    ],
    c.dim,
  );
}

function listCommand() {
  return new Command('list')
    .description('List operations of every kind, newest first')
    .option('--kind <kinds>', 'only these kinds, e.g. render.video or gemini.batch (comma-separated)', listOption)
    .option('--state <states>', `only these states (${STATES.join(', ')}; comma-separated)`, listOption)
    .option('--page-size <n>', 'operations per page (1-1000, server default 50)', intOption(1, 1000))
    .option('--page-token <token>', 'continue from a previous page')
    .option('--all', 'fetch every page')
    .addHelpText(
      'after',
      examples(
        'herald ops list',
        'herald ops list --state pending,running',
        'herald ops list --kind gemini.batch --state failed --json | jq -r ".operations[].name"',
      ),
    )
    .action(async (opts, cmd) => {
      const bad = (opts.state ?? []).filter((s) => !STATES.includes(s));
      if (bad.length > 0) throw new UsageError(`unknown state "${bad[0]!}": allowed: ${STATES.join(', ')}`);
      const { client, out } = connect(cmd);
      const page = await fetchPages('operations', opts, (p) =>
        client.listOperations({ ...p, kinds: opts.kind, states: opts.state }),
      );
      out.result(page, () =>
        page.operations.length === 0
          ? opts.kind || opts.state
            ? 'No operations match these filters.'
            : 'No operations yet. Create one with POST /v1beta/operations, or a Gemini batch.'
          : out.table(page.operations, operationColumns(out.c)),
      );
      moreHint(out, page, 'herald ops list');
    });
}

function getCommand() {
  return new Command('get')
    .description('Show an operation: batches/…, operations/…, models/…/operations/… or interactions/…')
    .argument('<name>', 'operation name (a bare id means operations/<id>)')
    .option('--wait <duration>', 'long-poll: answer as soon as it is done, or after this long (e.g. 30s, max 60s)')
    .addHelpText(
      'after',
      `
--json prints the resource as its API returns it: a Herald operation, a Gemini batch operation,
a video operation or an interaction.
${examples(
  'herald ops get operations/4k2x…',
  'herald ops get batches/9zq… --wait 30s',
  'herald ops get models/veo-3.0-generate-001/operations/abc… --json',
)}`,
    )
    .action(async (raw, opts, cmd) => {
      const name = parseOperationName(raw);
      const { client, out } = connect(cmd);
      const resource = await client.getOperation(name, opts.wait);
      const view = viewOperation(name, resource);
      out.result(resource, () => operationFields(view, out.c));
      if (!view.done) out.hint(`Follow it live: herald ops watch ${view.name}`);
    });
}

function watchCommand() {
  return new Command('watch')
    .description('Show live progress of an operation until it ends (driven by the event stream)')
    .argument('<name>', 'operation name (a bare id means operations/<id>)')
    .option('--timeout <seconds>', 'give up after this long (exit 1; the operation goes on)', intOption(1, 86_400))
    .addHelpText(
      'after',
      `
On a terminal it redraws one line with a progress bar; otherwise it prints one line per change.
--json prints one JSON object per change: the operation's name, kind, state, done, progress and
error, with "source" (get, event or wait) and, for changes an event made, the "event".

Exit status: 0 when the operation succeeded (or requires action), 1 when it failed, was cancelled
or expired, or on --timeout; 130 when interrupted with Ctrl-C.
${examples(
  'herald ops watch operations/4k2x…',
  'herald ops watch batches/9zq… --timeout 600 && echo done',
  'herald ops watch operations/4k2x… --json | jq -c "{state, progress}"',
)}`,
    )
    .action(async (raw, opts, cmd) => {
      const name = parseOperationName(raw);
      const { client, out } = connect(cmd);
      const tty = process.stdout.isTTY && !out.json;
      const renderer = createRenderer({
        json: out.json,
        tty,
        c: out.c,
        write: (t) => process.stdout.write(t),
      });
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      if (!out.json) out.hint(`Watching ${name} at ${client.baseUrl} (Ctrl-C to stop)`);
      try {
        const final = await watchOperation(client, name, {
          renderer,
          signal: controller.signal,
          timeoutSeconds: opts.timeout,
          info: (t) => out.info(t),
        });
        if (FINAL_BAD.includes(final.state)) process.exitCode = 1;
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}

function cancelCommand() {
  return new Command('cancel')
    .description('Cancel a pending or running operation')
    .argument('<name>', 'operation name (a bare id means operations/<id>)')
    .addHelpText(
      'after',
      `
--json prints the operation as its API returns it after the cancel.
${examples('herald ops cancel operations/4k2x…', 'herald ops cancel batches/9zq…')}`,
    )
    .action(async (raw, _opts, cmd) => {
      const name = parseOperationName(raw);
      const { client, out } = connect(cmd);
      const answer = await client.cancelOperation(name);
      // Batches answer `{}`: read the resource back.
      const resource = Object.keys(answer).length > 0 ? answer : await client.getOperation(name);
      const view = viewOperation(name, resource);
      out.result(resource, () =>
        view.state === 'cancelled'
          ? out.c.green(`Cancelled ${clean(view.name, true)}`)
          : `${clean(view.name, true)} is ${view.state}`,
      );
    });
}

/** The `ops` command group. */
export function opsCommand(): Command {
  return new Command('ops')
    .alias('operations')
    .description('List, inspect, watch and cancel long-running operations')
    .addCommand(listCommand())
    .addCommand(getCommand())
    .addCommand(watchCommand())
    .addCommand(cancelCommand())
    .addHelpText(
      'after',
      examples(
        'herald ops list --state running',
        'herald ops get batches/9zq…',
        'herald ops watch operations/4k2x…',
        'herald ops cancel operations/4k2x…',
      ),
    );
}
