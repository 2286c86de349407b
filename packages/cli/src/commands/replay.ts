/**
 * `herald replay --webhook <id> --since <time>`: send a webhook's failed deliveries again.
 * @module
 */

import { Command } from '@commander-js/extra-typings';
import type { ReplayWebhookResponse } from '@herald/contracts';
import { timeOption } from '../time-arg.js';
import { clean, formatTime } from '../ui/text.js';
import { connect, examples } from './shared.js';

export function replayCommand() {
  return new Command('replay')
    .description("Send a webhook's failed deliveries since a time again (same webhook-id and body)")
    .requiredOption('--webhook <id>', 'the static webhook to replay')
    .requiredOption(
      '--since <time>',
      'events created at or after this time: RFC 3339, a date, or 30m / 2h / 7d ago',
      timeOption,
    )
    .option('--until <time>', 'events created before this time (default: now)', timeOption)
    .option('--all', 'every settled delivery of the window, not only the failed and cancelled ones')
    .addHelpText(
      'after',
      `
Each matching delivery is attempted once more, now, as a "replay" attempt (fresh signature, same
webhook-id and body); events the webhook never got (it was disabled) are delivered too. The
webhook must be enabled. The server replays at most 10,000 per call; the CLI continues until the
window is done. --json prints the totals in the API's shape ({replayed, requeued, created,
truncated}).
${examples(
  'herald replay --webhook 6bskj… --since 2h',
  'herald replay --webhook 6bskj… --since 2026-11-26T08:00:00Z --until 2026-11-26T09:00:00Z',
  'herald replay --webhook 6bskj… --since 1d --all --json',
)}`,
    )
    .action(async (opts, cmd) => {
      const { client, out } = connect(cmd);
      const total: ReplayWebhookResponse = { replayed: 0, requeued: 0, created: 0, truncated: false };
      let since = opts.since;
      for (;;) {
        const r = await client.replayWebhook(opts.webhook, {
          since,
          ...(opts.until !== undefined ? { until: opts.until } : {}),
          ...(opts.all ? { only_failed: false } : {}),
        });
        total.replayed += r.replayed;
        total.requeued += r.requeued;
        total.created += r.created;
        if (!r.truncated || r.next_since === undefined || r.next_since === since) break;
        out.info(`replayed ${total.replayed} so far; continuing from ${formatTime(r.next_since)}…`);
        since = r.next_since;
      }
      const what = opts.all ? 'deliveries' : 'failed deliveries';
      const window = `since ${formatTime(opts.since)}${opts.until !== undefined ? ` until ${formatTime(opts.until)}` : ''}`;
      out.result(total, () =>
        total.replayed === 0
          ? `Nothing to replay: no ${what} to webhook ${clean(opts.webhook)} ${window}.`
          : out.c.green(
              `Replayed ${total.replayed} ${total.replayed === 1 ? 'delivery' : 'deliveries'} to webhook ${clean(opts.webhook)} ${window}`,
            ) + out.c.dim(` (${total.requeued} attempted again, ${total.created} never sent before)`),
      );
      if (total.replayed > 0) out.hint(`Follow them: herald deliveries list --webhook ${opts.webhook}`);
    });
}
