import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../../server/src/testing/test-herald.js';
import { BUILD_TIMEOUT_MS, buildCli, cliFor, json, runCli } from './helpers/cli.js';

interface ProjectJson {
  id: string;
  name: string;
  branding?: { logo_uri?: string; accent_color?: string };
  limits?: { events_per_second?: number; max_webhooks?: number };
  dynamic_signing: string;
  create_time: string;
}

let herald: TestHerald;
let cli: ReturnType<typeof cliFor>;
let admin: ReturnType<typeof cliFor>;

beforeAll(async () => {
  await buildCli();
  herald = await startTestHerald();
  cli = cliFor(herald);
  admin = (args, opts) => runCli(['--url', herald.url, '--admin-key', herald.adminKey, ...args], opts);
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await herald?.close();
});

describe('herald projects', () => {
  it('create, get and update: the flags given become the body and the update mask', async () => {
    const created = await admin([
      'projects',
      'create',
      '--id',
      'acme',
      '--name',
      'Acme Corp',
      '--accent-color',
      '#4F46E5',
      '--max-webhooks',
      '3',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Created project acme\n/);
    expect(created.stdout).toMatch(/Max webhooks\s+3\n/);
    expect(created.stderr).toMatch(/herald projects keys create acme/);

    const got = json<ProjectJson>(await admin(['projects', 'get', 'acme', '--json']));
    expect(got).toMatchObject({
      id: 'acme',
      name: 'Acme Corp',
      branding: { accent_color: '#4f46e5' },
      limits: { max_webhooks: 3 },
    });

    const updated = json<ProjectJson>(
      await admin([
        'projects',
        'update',
        'acme',
        '--events-per-second',
        '50',
        '--logo-uri',
        'https://img.test/a.png',
        '--json',
      ]),
    );
    // Only what was given changed: the accent colour and the webhook limit stay.
    expect(updated).toMatchObject({
      name: 'Acme Corp',
      branding: { accent_color: '#4f46e5', logo_uri: 'https://img.test/a.png' },
      limits: { max_webhooks: 3, events_per_second: 50 },
    });
    const cleared = json<ProjectJson>(
      await admin(['projects', 'update', 'acme', '--logo-uri', '', '--max-webhooks', 'default', '--json']),
    );
    expect(cleared.branding?.logo_uri ?? null).toBeNull();
    expect(cleared.limits?.max_webhooks ?? null).toBeNull();
    expect(cleared.limits?.events_per_second).toBe(50);

    const nothing = await admin(['projects', 'update', 'acme']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/^herald: nothing to change: give at least one of --name/);
    const badLimit = await admin(['projects', 'update', 'acme', '--max-webhooks', '0']);
    expect(badLimit.code).toBe(2);
  });

  it('errors print the server message and a hint: 409 taken id, 400 id pattern, 404 unknown project', async () => {
    await admin(['projects', 'create', '--id', 'taken', '--name', 'Taken']);
    const again = await admin(['projects', 'create', '--id', 'taken', '--name', 'Again']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^herald: .*taken.*\(HTTP 409 ALREADY_EXISTS\)\nhint: pick another --id, or look at that one: herald projects get taken\n$/,
    );

    const badId = await admin(['projects', 'create', '--id', 'Bad_Id', '--name', 'Bad']);
    expect(badId.code).toBe(1);
    expect(badId.stderr).toMatch(/\^\[a-z\]\[a-z0-9-\]\{2,62\}\$.*\(HTTP 400 INVALID_ARGUMENT\)/);

    const missing = await admin(['projects', 'get', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'herald: project "nope" not found (HTTP 404 NOT_FOUND)\nhint: see the projects there are: herald projects list\n',
    );
  });

  it('list fetches every page, filters by name, and prints a table', async () => {
    for (const id of ['list-one', 'list-two', 'list-three']) {
      expect((await admin(['projects', 'create', '--id', id, '--name', `Lister ${id}`])).code).toBe(0);
    }
    const all = json<{ projects: ProjectJson[] }>(await admin(['projects', 'list', '--page-size', '1', '--json']));
    const ids = all.projects.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['default', 'list-one', 'list-two', 'list-three']));
    expect(new Set(ids).size).toBe(ids.length);

    const filtered = json<{ projects: ProjectJson[] }>(
      await admin(['projects', 'list', '--filter', 'name:lister', '--page-size', '2', '--json']),
    );
    expect(filtered.projects.map((p) => p.id)).toEqual(['list-one', 'list-two', 'list-three']);

    const table = await admin(['projects', 'list', '--filter', 'name:lister']);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+EVENTS\/S\s+MAX WEBHOOKS\s+SIGNING\s+CREATED$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[0])).toEqual(['list-one', 'list-two', 'list-three']);
    const none = await admin(['projects', 'list', '--filter', 'name:zzz']);
    expect(none.stdout).toMatch(/^No projects match/);
  });

  it('no admin key is a usage error naming where it looked; a project key as the admin key gets 403 and a hint', async () => {
    // Only a project key: the CLI does not even ask the server.
    const noAdmin = await cli(['projects', 'list']);
    expect(noAdmin.code).toBe(2);
    expect(noAdmin.stderr).toMatch(/^herald: no admin key \(looked at --admin-key/);
    // A project key given as the admin key: the server's 403 and what to do.
    const denied = await runCli(['--url', herald.url, '--admin-key', herald.apiKey, 'projects', 'list']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(
      /^herald: This method needs the admin key.*\(HTTP 403 PERMISSION_DENIED\)\nhint: this needs the admin key \(ha_…\), not a project key: the admin key came from --admin-key; pass --admin-key or set HERALD_ADMIN_KEY\n$/,
    );

    const none = await runCli(['--url', herald.url, 'projects', 'list']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /^herald: no admin key \(looked at --admin-key, HERALD_ADMIN_KEY, "admin_key" in \S+config.json, \S+\/\.herald\/admin-key\): pass --admin-key/,
    );

    // The admin key `herald serve` saved in its data directory, and HERALD_ADMIN_KEY, both work.
    const fromDataDir = await runCli(['--url', herald.url, 'projects', 'get', 'default', '--json'], {
      env: { HERALD_DATA_DIR: herald.dataDir },
    });
    expect(json<ProjectJson>(fromDataDir).id).toBe('default');
    const fromEnv = await runCli(['--url', herald.url, 'projects', 'get', 'default', '--json'], {
      env: { HERALD_ADMIN_KEY: herald.adminKey },
    });
    expect(fromEnv.code).toBe(0);
    const wrong = await runCli(['--url', herald.url, 'projects', 'list'], { env: { HERALD_ADMIN_KEY: 'ha_wrong' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /\nhint: the admin key came from HERALD_ADMIN_KEY; pass --admin-key or set HERALD_ADMIN_KEY\n$/,
    );
  });

  it('keys create mints a key of that project; --project acts on a project with the admin key', async () => {
    await admin(['projects', 'create', '--id', 'globex', '--name', 'Globex']);
    const minted = await admin(['projects', 'keys', 'create', 'globex', '--name', 'backend', '--json']);
    expect(minted.code, minted.stderr).toBe(0);
    const key = json<{ key: string; name: string }>(minted);
    expect(key).toMatchObject({ name: 'backend', key: expect.stringMatching(/^hk_/) });
    const human = await admin(['projects', 'keys', 'create', 'globex']);
    expect(human.stdout).toMatch(/^Created API key key_\w+ for project globex\n\nAPI key {2}hk_\w+\n$/);

    // The customer's key works on the un-prefixed routes and sees its own project only.
    const asGlobex = (args: string[]) => runCli(['--url', herald.url, '--api-key', key.key, ...args]);
    const created = await asGlobex([
      'webhooks',
      'create',
      '--uri',
      'http://127.0.0.1:9/globex',
      '--events',
      'invoice.ready',
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const viaAdmin = json<{ webhooks: { uri: string }[] }>(
      await admin(['--project', 'globex', 'webhooks', 'list', '--json']),
    );
    expect(viaAdmin.webhooks.map((w) => w.uri)).toEqual(['http://127.0.0.1:9/globex']);
    const defaultHooks = json<{ webhooks: { uri: string }[] }>(await cli(['webhooks', 'list', '--json']));
    expect(defaultHooks.webhooks.map((w) => w.uri)).not.toContain('http://127.0.0.1:9/globex');
    const keys = json<{ api_keys: { name: string }[] }>(await admin(['keys', 'list', '--json', '--project', 'globex']));
    expect(keys.api_keys.map((k) => k.name)).toEqual(['backend', '']);

    const unknown = await admin(['--project', 'nope', 'webhooks', 'list']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^herald: project "nope" not found \(HTTP 404 NOT_FOUND\)/);
    const noAdmin = await cli(['--project', 'globex', 'webhooks', 'list']);
    expect(noAdmin.code).toBe(2);
    expect(noAdmin.stderr).toMatch(/^herald: no admin key/);
  });

  it('delete asks for the id unless --yes; the project and its keys are gone', async () => {
    await admin(['projects', 'create', '--id', 'doomed', '--name', 'Doomed']);
    const key = json<{ key: string }>(await admin(['projects', 'keys', 'create', 'doomed', '--json'])).key;

    const refused = await admin(['projects', 'delete', 'doomed'], { input: 'yes\n' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Type its id to confirm: /);
    expect(refused.stderr).toMatch(/herald: not deleted: the answer was not "doomed" \(--yes skips the question\)\n$/);
    const noInput = await admin(['projects', 'delete', 'doomed']);
    expect(noInput.code).toBe(1);
    expect((await admin(['projects', 'get', 'doomed'])).code).toBe(0);

    const confirmed = await admin(['projects', 'delete', 'doomed'], { input: 'doomed\n' });
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.stdout).toBe('Deleted project doomed\n');
    expect((await admin(['projects', 'get', 'doomed'])).code).toBe(1);
    const gone = await runCli(['--url', herald.url, '--api-key', key, 'webhooks', 'list']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/API key not valid/);

    await admin(['projects', 'create', '--id', 'doomed-two', '--name', 'Doomed two']);
    const yes = await admin(['projects', 'delete', 'doomed-two', '--yes', '--json']);
    expect(json(yes)).toEqual({ deleted: 'doomed-two' });
    const again = await admin(['projects', 'delete', 'doomed-two', '--yes']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/hint: see the projects there are: herald projects list/);
  });
});

describe('herald portal', () => {
  it('mints a one-time portal link for a project', async () => {
    await admin(['projects', 'create', '--id', 'portal-co', '--name', 'Portal Co']);
    const r = await admin(['portal', 'portal-co']);
    expect(r.code, r.stderr).toBe(0);
    const url = new URL(r.stdout.trim());
    expect(url.pathname).toBe('/portal/enter');
    expect(url.searchParams.get('token')).toMatch(/^hp_\w+/);
    expect(r.stderr).toMatch(/One use, valid until \S+ \S+Z/);

    const before = Date.now();
    const s = json<{ url: string; token: string; expire_time: string }>(
      await admin(['portal', 'portal-co', '--ttl', '600s', '--json']),
    );
    const after = Date.now();
    expect(new URL(s.url).searchParams.get('token')).toBe(s.token);
    expect(s.token).not.toBe(url.searchParams.get('token'));
    // The server's clock read happened between before and after (times are whole seconds at most).
    expect(Date.parse(s.expire_time)).toBeGreaterThanOrEqual(before + 600_000 - 1000);
    expect(Date.parse(s.expire_time)).toBeLessThanOrEqual(after + 600_000 + 1000);

    const badTtl = await admin(['portal', 'portal-co', '--ttl', '10m']);
    expect(badTtl.code).toBe(2);
    const missing = await admin(['portal', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found.*\nhint: see the projects there are/);
    const denied = await cli(['portal', 'portal-co']);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/^herald: no admin key/);
  });
});
