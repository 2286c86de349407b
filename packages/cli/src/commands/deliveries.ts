/**
 * `herald deliveries list|get|retry`.
 * @module
 */

import { Command, Option } from '@commander-js/extra-typings';
import type { Delivery, DeliveryStatus } from '@herald/contracts';
import type { Output } from '../ui/output.js';
import { attemptsTable, attemptSucceeded, deliveryColumns, deliveryFields, describeAttempt } from '../ui/present.js';
import { clean } from '../ui/text.js';
import { waitForAttempt } from '../wait.js';
import { connect, examples, fetchPages, intOption, moreHint } from './shared.js';

/**
 * The delivery statuses, checked against the contract at compile time (importing the contract's
 * `DELIVERY_STATUSES` at run time would load TypeBox on every start).
 */
const STATUSES = Object.keys({
  pending: true,
  in_flight: true,
  succeeded: true,
  failed: true,
  cancelled: true,
} satisfies Record<DeliveryStatus, true>) as DeliveryStatus[];

function listCommand() {
  return new Command('list')
    .description('List deliveries, newest first')
    .addOption(new Option('--status <status>', 'only deliveries in this status').choices(STATUSES))
    .option('--webhook <id>', 'only deliveries to this webhook')
    .option('--event <id>', 'only deliveries of this event')
    .option('--page-size <n>', 'deliveries per page (1-1000, server default 50)', intOption(1, 1000))
    .option('--page-token <token>', 'continue from a previous page')
    .option('--all', 'fetch every page')
    .addHelpText(
      'after',
      examples(
        'herald deliveries list',
        'herald deliveries list --status failed',
        'herald deliveries list --webhook 3k9x… --event evt_01J…',
        'herald deliveries list --status pending --all --json | jq ".deliveries | length"',
      ),
    )
    .action(async (opts, cmd) => {
      const { client, out } = connect(cmd);
      const page = await fetchPages('deliveries', opts, (p) =>
        client.listDeliveries({ ...p, status: opts.status, webhook: opts.webhook, event: opts.event }),
      );
      out.result(page, () =>
        page.deliveries.length === 0
          ? opts.status || opts.webhook || opts.event
            ? 'No deliveries match these filters.'
            : 'No deliveries yet. They appear when an event matches a webhook:\n  herald webhooks ping <webhook-id>'
          : out.table(page.deliveries, deliveryColumns(out.c)),
      );
      moreHint(out, page, 'herald deliveries list');
    });
}

function renderDelivery(d: Delivery, out: Output): string {
  const { c } = out;
  const attempts = d.attempts ?? [];
  const table =
    attempts.length === 0
      ? c.dim('No attempts yet.')
      : attemptsTable(attempts, c, {
          width: process.stdout.isTTY ? process.stdout.columns : undefined,
          headerStyle: (t) => c.bold(c.dim(t)),
        });
  const excerpts = attempts
    .filter((a) => a.response_excerpt !== undefined && a.response_excerpt !== '')
    .map((a) => `${c.dim(`#${a.number} response`)}\n${indent(clean(a.response_excerpt!).slice(0, 1024))}`);
  return [deliveryFields(d, c), '', c.bold('Attempts'), table, ...(excerpts.length ? ['', ...excerpts] : [])].join(
    '\n',
  );
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

function getCommand() {
  return new Command('get')
    .description('Show a delivery and every attempt (status code, duration, error, response excerpt)')
    .argument('<id>', 'delivery id (dlv_…)')
    .addHelpText(
      'after',
      examples('herald deliveries get dlv_01J…', 'herald deliveries get dlv_01J… --json | jq .attempts'),
    )
    .action(async (deliveryId, _opts, cmd) => {
      const { client, out } = connect(cmd);
      const d = await client.getDelivery(deliveryId);
      out.result(d, () => renderDelivery(d, out));
      if (d.status === 'failed') out.hint(`Try again: herald deliveries retry ${d.id} --wait`);
    });
}

function retryCommand() {
  return new Command('retry')
    .description('Attempt a delivery again now (recorded as a manual attempt)')
    .argument('<id>', 'delivery id (dlv_…)')
    .option('--wait', 'wait for the attempt and report it (exit 1 if it fails)')
    .option('--timeout <seconds>', 'how long --wait waits', intOption(1, 3600), 60)
    .addHelpText(
      'after',
      examples(
        'herald deliveries retry dlv_01J…',
        'herald deliveries retry dlv_01J… --wait',
        'herald deliveries retry dlv_01J… --wait --json',
      ),
    )
    .action(async (deliveryId, opts, cmd) => {
      const { client, out } = connect(cmd);
      const before = await client.getDelivery(deliveryId);
      const queued = await client.retryDelivery(deliveryId);
      if (!opts.wait) {
        out.result(queued, () => `Retry queued for ${clean(queued.id)} (status ${queued.status})`);
        out.hint(`Follow it: herald deliveries get ${queued.id}   (or retry with --wait)`);
        return;
      }
      const d = await waitForAttempt(client, deliveryId, before.attempt_count, opts.timeout);
      const attempt = d.attempts!.at(-1)!;
      const ok = attemptSucceeded(attempt);
      out.result(d, () =>
        ok
          ? out.c.green(`✓ ${clean(d.id)} delivered to ${clean(d.destination.uri)}: ${describeAttempt(attempt)}`)
          : out.c.red(`✗ ${clean(d.id)} attempt ${attempt.number} failed: ${describeAttempt(attempt)}`),
      );
      if (!ok) {
        out.hint(`Details: herald deliveries get ${d.id}`);
        process.exitCode = 1;
      }
    });
}

/** The `deliveries` command group. */
export function deliveriesCommand(): Command {
  return new Command('deliveries')
    .description('Inspect deliveries (one per event and destination) and their attempts; retry them')
    .addCommand(listCommand())
    .addCommand(getCommand())
    .addCommand(retryCommand())
    .addHelpText(
      'after',
      examples(
        'herald deliveries list --status failed',
        'herald deliveries get dlv_01J…',
        'herald deliveries retry dlv_01J… --wait',
      ),
    );
}
