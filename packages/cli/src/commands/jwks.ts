/**
 * `herald jwks show|list|rotate`: the instance's dynamic-webhook signing keys.
 * @module
 */

import { Command, Option } from '@commander-js/extra-typings';
import type { SigningKey, SigningKeyAlgorithm } from '@herald/contracts';
import type { Colors } from '../ui/output.js';
import type { Column } from '../ui/table.js';
import { formatTime } from '../ui/text.js';
import { clientFor, connect, connectAdmin, connectionOf, examples, outputOf } from './shared.js';

const ALGORITHMS = ['EdDSA', 'RS256'] as const satisfies readonly SigningKeyAlgorithm[];

function keyColumns(c: Colors): Column<SigningKey>[] {
  return [
    { header: 'KID', value: (k) => k.kid },
    { header: 'ALG', value: (k) => k.alg },
    { header: 'STATE', value: (k) => k.state, style: (t, k) => (k.state === 'active' ? c.green(t) : c.yellow(t)) },
    { header: 'CREATED', value: (k) => formatTime(k.create_time) },
    { header: 'LEAVES JWKS', value: (k) => (k.expire_time !== undefined ? formatTime(k.expire_time) : '-') },
  ];
}

interface Jwk {
  kid?: string;
  kty?: string;
  alg?: string;
  use?: string;
  crv?: string;
}

function showCommand() {
  return new Command('show')
    .description('Print the public JWKS (/.well-known/jwks.json) that verifies dynamic deliveries')
    .addHelpText(
      'after',
      `
Needs no API key (the JWKS is public). --json prints the JWKS document itself.
${examples('herald jwks show', 'herald jwks show --json > jwks.json')}`,
    )
    .action(async (_opts, cmd) => {
      const out = outputOf(cmd);
      const client = clientFor(connectionOf(cmd));
      const jwks = await client.getJwks();
      const keys = (jwks.keys ?? []) as Jwk[];
      out.result(jwks, () =>
        keys.length === 0
          ? 'The JWKS is empty: the server has no signing keys yet.'
          : out.table(keys, [
              { header: 'KID', value: (k) => k.kid ?? '-' },
              { header: 'KTY', value: (k) => `${k.kty ?? '-'}${k.crv ? ` (${k.crv})` : ''}` },
              { header: 'ALG', value: (k) => k.alg ?? '-' },
              { header: 'USE', value: (k) => k.use ?? '-' },
            ]),
      );
      out.hint(`URL: ${client.baseUrl}/.well-known/jwks.json   (verify with: herald verify --jwks <url> …)`);
    });
}

function listCommand() {
  return new Command('list')
    .description('List the signing keys with their state (active keys sign; retired ones only verify)')
    .addHelpText('after', examples('herald jwks list', 'herald jwks list --json'))
    .action(async (_opts, cmd) => {
      const { client, out } = connect(cmd);
      const list = await client.listSigningKeys();
      out.result(list, () => out.table(list.signing_keys, keyColumns(out.c)));
    });
}

function rotateCommand() {
  return new Command('rotate')
    .description('Replace the active dynamic-webhook signing key (both algorithms, or --alg)')
    .addOption(new Option('--alg <alg>', 'rotate only this algorithm').choices(ALGORITHMS))
    .addHelpText(
      'after',
      `
Needs the admin key (the signing keys serve every project). The new key signs from the next attempt on; the retired key stays in the JWKS for 10 minutes
(receivers that cached the JWKS keep verifying) and never signs again. Prints every published key;
--json prints the API's {"signing_keys": […]}.
${examples('herald jwks rotate', 'herald jwks rotate --alg RS256')}`,
    )
    .action(async (opts, cmd) => {
      const { client, out } = connectAdmin(cmd);
      const list = await client.rotateSigningKeys(opts.alg);
      out.result(list, () =>
        [
          out.c.green(`Rotated ${opts.alg ?? 'EdDSA and RS256'}: new keys sign from now on`),
          out.table(list.signing_keys, keyColumns(out.c)),
        ].join('\n'),
      );
    });
}

/** The `jwks` command group. */
export function jwksCommand(): Command {
  return new Command('jwks')
    .description('Show and rotate the signing keys of dynamic webhooks (v1a and JWT)')
    .addCommand(showCommand())
    .addCommand(listCommand())
    .addCommand(rotateCommand())
    .addHelpText('after', examples('herald jwks show', 'herald jwks rotate --alg EdDSA'));
}
