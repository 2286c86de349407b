/**
 * `herald webhooks create|list|get|update|delete|rotate|ping`.
 * @module
 */

import { Command, Option } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';
import { attemptSucceeded, describeAttempt, webhookColumns, webhookFields } from '../ui/present.js';
import { clean } from '../ui/text.js';
import { waitForAttempt, waitForNewDelivery } from '../wait.js';
import { connect, examples, fetchPages, intOption, listOption, moreHint } from './shared.js';

/** Checks event types against the catalog (`@herald/contracts`, loaded on demand: it is large). */
async function checkEvents(events: readonly string[]): Promise<string[]> {
  const { describeAcceptedEventTypes, isAcceptedEventType } = await import('@herald/contracts');
  if (events.length === 0) throw new UsageError('--events needs at least one event type');
  const bad = events.filter((e) => !isAcceptedEventType(e));
  if (bad.length > 0) {
    throw new UsageError(`unknown event type ${bad.map((b) => `"${b}"`).join(', ')}: ${describeAcceptedEventTypes()}`);
  }
  return [...new Set(events)];
}

function createCommand() {
  return new Command('create')
    .description('Register a webhook; prints its signing secret once')
    .requiredOption('--uri <url>', 'URL that receives the events (https in production)')
    .requiredOption('--events <types>', 'event types to deliver, comma-separated or repeated', listOption)
    .option('--name <name>', 'a name to recognise it by')
    .addHelpText(
      'after',
      examples(
        'herald webhooks create --uri https://example.com/webhooks --events batch.succeeded,batch.failed',
        'herald webhooks create --name local --uri http://127.0.0.1:3000/webhooks --events invoice.ready',
        'herald webhooks create --uri https://example.com/hooks --events batch.succeeded --json | jq -r .new_signing_secret',
      ),
    )
    .action(async (opts, cmd) => {
      const { client, out } = connect(cmd);
      const webhook = await client.createWebhook({
        uri: opts.uri,
        subscribed_events: await checkEvents(opts.events),
        ...(opts.name !== undefined ? { name: opts.name } : {}),
      });
      const { c } = out;
      out.result(webhook, () =>
        [
          c.green(`Created webhook ${clean(webhook.id)}`),
          webhookFields(webhook, c),
          '',
          `${c.bold('Signing secret')}  ${clean(webhook.new_signing_secret ?? '(not returned)')}`,
        ].join('\n'),
      );
      out.warn(
        'Store the signing secret now: it is shown only this once. ' +
          `Lost it? \`herald webhooks rotate ${webhook.id}\` issues a new one.`,
      );
      out.hint(`Next: herald webhooks ping ${webhook.id} --wait`);
    });
}

function listCommand() {
  return new Command('list')
    .description('List webhooks, oldest first')
    .option('--page-size <n>', 'webhooks per page (1-1000, server default 50)', intOption(1, 1000))
    .option('--page-token <token>', 'continue from a previous page')
    .option('--all', 'fetch every page')
    .addHelpText(
      'after',
      examples('herald webhooks list', 'herald webhooks list --all --json | jq -r ".webhooks[].uri"'),
    )
    .action(async (opts, cmd) => {
      const { client, out } = connect(cmd);
      const page = await fetchPages('webhooks', opts, (p) => client.listWebhooks(p));
      out.result(page, () =>
        page.webhooks.length === 0
          ? 'No webhooks yet. Create one:\n  herald webhooks create --uri https://example.com/webhooks --events batch.succeeded'
          : out.table(page.webhooks, webhookColumns(out.c)),
      );
      moreHint(out, page, 'herald webhooks list');
    });
}

function getCommand() {
  return new Command('get')
    .description('Show a webhook')
    .argument('<id>', 'webhook id')
    .addHelpText('after', examples('herald webhooks get 3k9x…', 'herald webhooks get 3k9x… --json'))
    .action(async (webhookId, _opts, cmd) => {
      const { client, out } = connect(cmd);
      const webhook = await client.getWebhook(webhookId);
      out.result(webhook, () => webhookFields(webhook, out.c));
    });
}

function updateCommand() {
  return new Command('update')
    .description('Change the name, URI, events or state of a webhook (only the fields given)')
    .argument('<id>', 'webhook id')
    .option('--name <name>', 'new name')
    .option('--uri <url>', 'new destination URL')
    .option('--events <types>', 'replace the subscribed event types (comma-separated or repeated)', listOption)
    .addOption(new Option('--enable', 'resume deliveries (also after an automatic disable)').conflicts('disable'))
    .option('--disable', 'pause deliveries to this webhook')
    .addHelpText(
      'after',
      examples(
        'herald webhooks update 3k9x… --events batch.succeeded,batch.failed,batch.cancelled',
        'herald webhooks update 3k9x… --disable',
        'herald webhooks update 3k9x… --enable --uri https://new.example.com/webhooks',
      ),
    )
    .action(async (webhookId, opts, cmd) => {
      const patch = {
        name: opts.name,
        uri: opts.uri,
        subscribed_events: opts.events !== undefined ? await checkEvents(opts.events) : undefined,
        state: opts.enable ? ('enabled' as const) : opts.disable ? ('disabled' as const) : undefined,
      };
      if (Object.values(patch).every((v) => v === undefined)) {
        throw new UsageError('nothing to update: pass at least one of --name, --uri, --events, --enable, --disable');
      }
      const { client, out } = connect(cmd);
      const webhook = await client.updateWebhook(webhookId, patch);
      out.result(
        webhook,
        () => `${out.c.green(`Updated webhook ${clean(webhook.id)}`)}\n${webhookFields(webhook, out.c)}`,
      );
    });
}

function deleteCommand() {
  return new Command('delete')
    .description('Delete a webhook; its pending deliveries are cancelled')
    .argument('<id>', 'webhook id')
    .addHelpText('after', examples('herald webhooks delete 3k9x…'))
    .action(async (webhookId, _opts, cmd) => {
      const { client, out } = connect(cmd);
      await client.deleteWebhook(webhookId);
      out.result({}, () => `Deleted webhook ${clean(webhookId)}`);
    });
}

function rotateCommand() {
  return new Command('rotate')
    .description('Issue a new signing secret; prints it once')
    .argument('<id>', 'webhook id')
    .option('--revoke-now', 'revoke the previous secrets immediately (default: they stay valid for 24 h)')
    .addHelpText(
      'after',
      `
The previous secrets keep verifying for 24 hours so receivers can switch over; during that time
Herald signs with every current secret. --revoke-now drops them at once (a leaked secret).
${examples('herald webhooks rotate 3k9x…', 'herald webhooks rotate 3k9x… --revoke-now --json | jq -r .secret')}`,
    )
    .action(async (webhookId, opts, cmd) => {
      const { client, out } = connect(cmd);
      const res = await client.rotateSigningSecret(
        webhookId,
        opts.revokeNow ? 'revoke_previous_secrets_immediately' : 'revoke_previous_secrets_after_h24',
      );
      out.result(res, () =>
        [
          out.c.green(`Rotated the signing secret of webhook ${clean(webhookId)}`),
          `${out.c.bold('New signing secret')}  ${clean(res.secret)}`,
          out.c.dim(opts.revokeNow ? 'Previous secrets are revoked.' : 'Previous secrets keep verifying for 24 hours.'),
        ].join('\n'),
      );
      out.warn('Store the new signing secret now: it is shown only this once.');
    });
}

function pingCommand() {
  return new Command('ping')
    .description('Send a signed webhook.ping event to a webhook')
    .argument('<id>', 'webhook id')
    .option('--wait', 'wait for the first attempt and report it (exit 1 if it fails)')
    .option('--timeout <seconds>', 'how long --wait waits', intOption(1, 3600), 60)
    .addHelpText(
      'after',
      examples(
        'herald webhooks ping 3k9x…',
        'herald webhooks ping 3k9x… --wait',
        'herald webhooks ping 3k9x… --wait --json',
      ),
    )
    .action(async (webhookId, opts, cmd) => {
      const { client, out } = connect(cmd);
      let known = new Set<string>();
      if (opts.wait) {
        const before = await client.listDeliveries({ webhook: webhookId, pageSize: 20 });
        known = new Set(before.deliveries.map((d) => d.id));
      }
      const answer = await client.pingWebhook(webhookId);
      const deliveryId = answer.delivery_id;
      if (!opts.wait) {
        out.result(answer, () =>
          deliveryId
            ? `Ping queued for webhook ${clean(webhookId)}: delivery ${clean(deliveryId)}`
            : `Ping queued for webhook ${clean(webhookId)}`,
        );
        out.hint(
          deliveryId
            ? `Follow it: herald deliveries get ${deliveryId}   (or ping with --wait)`
            : `Follow it: herald deliveries list --webhook ${webhookId}   (or ping with --wait)`,
        );
        return;
      }
      const queued = deliveryId
        ? { id: deliveryId }
        : await waitForNewDelivery(client, webhookId, 'webhook.ping', known, opts.timeout);
      const delivery = await waitForAttempt(client, queued.id, 0, opts.timeout);
      const attempt = delivery.attempts!.at(-1)!;
      const ok = attemptSucceeded(attempt);
      out.result(delivery, () =>
        ok
          ? out.c.green(`✓ ping delivered to ${clean(delivery.destination.uri)}: ${describeAttempt(attempt)}`)
          : out.c.red(`✗ ping to ${clean(delivery.destination.uri)} failed: ${describeAttempt(attempt)}`),
      );
      if (!ok) {
        out.hint(`Details: herald deliveries get ${delivery.id}`);
        process.exitCode = 1;
      }
    });
}

/** The `webhooks` command group. */
export function webhooksCommand(): Command {
  return new Command('webhooks')
    .description('Manage webhooks: where events are delivered, signed with a per-webhook secret')
    .addCommand(createCommand())
    .addCommand(listCommand())
    .addCommand(getCommand())
    .addCommand(updateCommand())
    .addCommand(deleteCommand())
    .addCommand(rotateCommand())
    .addCommand(pingCommand())
    .addHelpText(
      'after',
      examples(
        'herald webhooks create --uri https://example.com/webhooks --events batch.succeeded,batch.failed',
        'herald webhooks list',
        'herald webhooks ping <id> --wait',
        'herald webhooks rotate <id>',
      ),
    );
}
