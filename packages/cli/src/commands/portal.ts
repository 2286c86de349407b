/**
 * `herald portal <project>`: a one-time link into a project's consumer portal (admin key).
 * @module
 */

import { Command } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';
import { createPortalSession } from '../project-api.js';
import { formatTime } from '../ui/text.js';
import { hinted } from './admin-hints.js';
import { connectAdmin, examples } from './shared.js';

export function portalCommand() {
  return new Command('portal')
    .description("Mint a one-time link into a project's consumer portal (its webhooks, deliveries, retries)")
    .argument('<project>', 'project id')
    .option('--ttl <seconds>', 'how long the link stays valid, 60s to 86400s', '3600s')
    .addHelpText(
      'after',
      `
Prints the link alone on stdout (so \`$(herald portal acme)\` is the URL); the link works once, until
it expires. --json prints {"url", "token", "expire_time"}. The portal: docs/portal.md.
${examples('herald portal acme', 'herald portal acme --ttl 600s --json')}`,
    )
    .action(async (projectId, opts, cmd) => {
      if (!/^\d+s$/.test(opts.ttl))
        throw new UsageError(`--ttl must be whole seconds such as 3600s, got "${opts.ttl}"`);
      const { client, out } = connectAdmin(cmd);
      const session = await hinted(projectId, () => createPortalSession(client, projectId, opts.ttl));
      out.result(session, () => session.url);
      out.hint(`One use, valid until ${formatTime(session.expire_time)}: open it in a browser or an iframe.`);
    });
}
