/**
 * `herald projects create|list|get|update|delete` and `projects keys create`: the admin plane's
 * projects (tenants, one per customer of yours). Every one of them needs the admin key.
 * @module
 */

import { Command } from '@commander-js/extra-typings';
import type { Project } from '@herald/contracts';
import { CliError, UsageError } from '../errors.js';
import { createProject, deleteProject, getProject, listProjects, updateProject } from '../project-api.js';
import { ask } from '../ui/confirm.js';
import { projectColumns, projectFields } from '../ui/project-view.js';
import { clean } from '../ui/text.js';
import { hinted } from './admin-hints.js';
import { projectBody, withProjectFlags } from './project-flags.js';
import { connectAdmin, examples, intOption } from './shared.js';

function createCommand() {
  return withProjectFlags(
    new Command('create')
      .description('Create a project (a tenant: one per customer of yours)')
      .requiredOption('--name <name>', 'the customer name shown in the portal')
      .option(
        '--id <id>',
        'your id for the customer: a-z, 0-9 and "-", 3-63, starting with a letter (default: generated)',
      ),
  )
    .addHelpText(
      'after',
      examples(
        'herald projects create --id acme --name "Acme Corp"',
        'herald projects create --id acme --name "Acme Corp" --accent-color "#4f46e5" --max-webhooks 10',
      ),
    )
    .action(async (opts, cmd) => {
      const { client, out } = connectAdmin(cmd);
      const body = { ...projectBody(opts), name: opts.name, ...(opts.id !== undefined ? { id: opts.id } : {}) };
      const p = await hinted(opts.id, () => createProject(client, body));
      out.result(p, () => [out.c.green(`Created project ${clean(p.id)}`), projectFields(p, out.c)].join('\n'));
      out.hint(`Next: herald projects keys create ${p.id} --name backend   (a key for the customer's own calls)`);
    });
}

function listCommand() {
  return new Command('list')
    .description('List every project, oldest first (all pages)')
    .option('--filter <name:text>', 'only names containing the text, e.g. name:acme')
    .option('--page-size <n>', 'projects fetched per request (1-1000, server default 50)', intOption(1, 1000))
    .addHelpText('after', examples('herald projects list', 'herald projects list --filter name:acme --json'))
    .action(async (opts, cmd) => {
      const { client, out } = connectAdmin(cmd);
      const projects: Project[] = [];
      let pageToken: string | undefined;
      do {
        const page = await listProjects(client, { pageSize: opts.pageSize, pageToken, filter: opts.filter });
        projects.push(...page.projects);
        pageToken = page.next_page_token;
      } while (pageToken);
      out.result({ projects }, () =>
        projects.length === 0
          ? 'No projects match. Create one:\n  herald projects create --id acme --name "Acme Corp"'
          : out.table(projects, projectColumns()),
      );
    });
}

function getCommand() {
  return new Command('get')
    .description('Show a project')
    .argument('<id>', 'project id')
    .addHelpText('after', examples('herald projects get acme', 'herald projects get acme --json'))
    .action(async (projectId, _opts, cmd) => {
      const { client, out } = connectAdmin(cmd);
      const p = await hinted(projectId, () => getProject(client, projectId));
      out.result(p, () => projectFields(p, out.c));
    });
}

function updateCommand() {
  return withProjectFlags(
    new Command('update')
      .description('Change a project: only the fields whose flags are given')
      .argument('<id>', 'project id')
      .option('--name <name>', 'the customer name shown in the portal'),
  )
    .addHelpText(
      'after',
      examples('herald projects update acme --events-per-second 50', 'herald projects update acme --logo-uri ""'),
    )
    .action(async (projectId, opts, cmd) => {
      const body = projectBody(opts);
      if (Object.keys(body).length === 0) {
        throw new UsageError(
          'nothing to change: give at least one of --name, --logo-uri, --accent-color, --events-per-second, --max-webhooks, --dynamic-signing',
        );
      }
      const { client, out } = connectAdmin(cmd);
      const p = await hinted(projectId, () => updateProject(client, projectId, body));
      out.result(p, () => [out.c.green(`Updated project ${clean(p.id)}`), projectFields(p, out.c)].join('\n'));
    });
}

function deleteCommand() {
  return new Command('delete')
    .description('Delete a project and everything it owns (webhooks, events, deliveries, keys)')
    .argument('<id>', 'project id')
    .option('--yes', 'do not ask: delete at once')
    .addHelpText(
      'after',
      `
Without --yes, asks for the project id on stdin (there is no undo). --json prints {"deleted": "<id>"}.
${examples('herald projects delete acme', 'herald projects delete acme --yes')}`,
    )
    .action(async (projectId, opts, cmd) => {
      const { client, out } = connectAdmin(cmd);
      if (opts.yes !== true) {
        const answer = await ask(
          `Delete project "${projectId}" and all its webhooks, events, deliveries and keys? Type its id to confirm: `,
        );
        if (answer !== projectId)
          throw new CliError(`not deleted: the answer was not "${projectId}" (--yes skips the question)`);
      }
      await hinted(projectId, () => deleteProject(client, projectId));
      out.result({ deleted: projectId }, () => out.c.green(`Deleted project ${clean(projectId)}`));
    });
}

function keysCommand() {
  const create = new Command('create')
    .description("Create an API key for a project (the customer's own key); prints the key once")
    .argument('<project>', 'project id')
    .option('--name <name>', 'what the key is for, e.g. backend')
    .addHelpText(
      'after',
      `
The same as \`herald --project <project> keys create\`. --json prints the key's metadata with "key".
${examples('herald projects keys create acme --name backend', 'herald projects keys create acme --json | jq -r .key')}`,
    )
    .action(async (projectId, opts, cmd) => {
      const { client, out } = connectAdmin(cmd, projectId);
      const k = await hinted(projectId, () => client.createApiKey(opts.name ?? ''));
      out.result(k, () =>
        [
          out.c.green(
            `Created API key ${clean(k.id)} for project ${clean(projectId)}${k.name ? ` (${clean(k.name)})` : ''}`,
          ),
          '',
          `${out.c.bold('API key')}  ${clean(k.key)}`,
        ].join('\n'),
      );
      out.warn('Store the key now: it is shown only this once. Lost it? Revoke it and create another.');
    });
  return new Command('keys')
    .description('Create API keys for a project (list and revoke: herald --project <id> keys …)')
    .addCommand(create)
    .addHelpText('after', examples('herald projects keys create acme --name backend'));
}

/** The `projects` command group. */
export function projectsCommand(): Command {
  return new Command('projects')
    .description('Create, list, change and delete projects (tenants); needs the admin key')
    .addCommand(createCommand())
    .addCommand(listCommand())
    .addCommand(getCommand())
    .addCommand(updateCommand())
    .addCommand(deleteCommand())
    .addCommand(keysCommand())
    .addHelpText(
      'after',
      `
The admin key comes from --admin-key, HERALD_ADMIN_KEY, "admin_key" in the config file (herald login
--admin-key) or .herald/admin-key (written by herald serve). Docs: docs/tenants.md.
${examples('herald projects create --id acme --name "Acme Corp"', 'herald projects list', 'herald projects delete acme --yes')}`,
    );
}
