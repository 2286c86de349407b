import { Command } from '@commander-js/extra-typings';
import pc from 'picocolors';
import { UsageError } from '../errors.js';
import { globalOptions } from './shared.js';

/** `herald serve` flags, each mirroring an environment variable. */
const FLAGS = [
  ['--port <port>', 'HERALD_PORT', 'port of the API and dashboard (default 8080)'],
  ['--host <host>', 'HERALD_HOST', 'address to listen on (default 127.0.0.1)'],
  ['--data-dir <dir>', 'HERALD_DATA_DIR', 'SQLite database and generated keys (default ./.herald)'],
  ['--env <env>', 'HERALD_ENV', 'development or production (production requires https destinations)'],
  ['--allow-private-networks <bool>', 'HERALD_ALLOW_PRIVATE_NETWORKS', 'allow loopback/private destinations'],
  ['--time-scale <n>', 'HERALD_TIME_SCALE', 'divide every retry delay (e.g. 3600 replays a day in 24 s)'],
  ['--public-url <url>', 'HERALD_PUBLIC_URL', 'base of file URIs and JWT iss'],
  ['--log-level <level>', 'HERALD_LOG_LEVEL', 'fatal, error, warn, info, debug, trace or silent'],
] as const;

function flagName(flag: string): string {
  return flag
    .slice(2)
    .split(' ')[0]!
    .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function serveCommand(): Command {
  const cmd = new Command('serve')
    .description('Run the Herald server (API, delivery engine): SQLite by default, PostgreSQL with HERALD_DATABASE_URL')
    .addHelpText(
      'after',
      `
Every flag mirrors an environment variable (flags win):
${FLAGS.map(([f, env]) => `  ${f.split(' ')[0]!.padEnd(26)} ${env}`).join('\n')}
  ${'--api-key'.padEnd(26)} HERALD_API_KEY   (the global option: key of the default project;
  ${''.padEnd(26)} default: generated and saved in <data dir>/api-key)

Examples:
  $ herald serve
  $ herald serve --port 9090 --data-dir /var/lib/herald
  $ HERALD_TIME_SCALE=3600 herald serve   # a day of retries in 24 seconds`,
    );
  for (const [flag, , help] of FLAGS) cmd.option(flag, help);
  cmd.action(async (opts: Record<string, string | undefined>, self: Command) => {
    // Loaded here so that the other commands start without the server and its native modules.
    // Tracing (only with an OTLP endpoint) must start before the server's modules load.
    const tracing = await (await import('@herald/server/otel')).startTracing();
    const [{ createHerald, loadConfig, ConfigError, limitHeapGrowth }, { default: closeWithGrace }] = await Promise.all(
      [import('@herald/server'), import('close-with-grace')],
    );
    const env: Record<string, string | undefined> = { ...process.env };
    for (const [flag, name] of FLAGS) {
      const v = opts[flagName(flag)];
      if (v !== undefined) env[name] = v;
    }
    const apiKey = globalOptions(self).apiKey;
    if (apiKey !== undefined) env.HERALD_API_KEY = apiKey;
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(env);
    } catch (err) {
      if (err instanceof ConfigError) throw new UsageError(err.message, { cause: err });
      throw err;
    }
    limitHeapGrowth(config.heapGrowthPercent);
    let herald: Awaited<ReturnType<typeof createHerald>>;
    try {
      herald = await createHerald({ config });
    } catch (err) {
      // Configuration only the database can judge (a master key other than the fleet's).
      if (err instanceof ConfigError) throw new UsageError(err.message, { cause: err });
      throw err;
    }
    let url: string;
    try {
      url = await herald.listen();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      await herald.close();
      throw new UsageError(
        `port ${config.port} on ${config.host} is in use (another Herald, or another server): ` +
          `stop it, or pick another port with HERALD_PORT=${config.port + 1} or --port ${config.port + 1}`,
        { cause: err },
      );
    }
    printBanner({
      url,
      role: config.role,
      apiKey: herald.apiKey,
      generated: herald.apiKeyGenerated,
      keySource: herald.apiKeySource,
      keyRevoked: herald.apiKeyRevoked,
      adminKey: herald.adminKey,
      adminKeySource: herald.adminKeySource,
      dataDir: config.dataDir,
      databaseUrl: config.databaseUrl,
    });
    closeWithGrace({ delay: config.attemptTimeoutMs + 5000 }, async ({ signal, err }) => {
      if (err) herald.logger.error({ err }, 'shutting down after an error');
      else herald.logger.info({ signal }, 'draining in-flight deliveries and shutting down');
      await herald.close();
      await tracing?.shutdown();
    });
  });
  return cmd;
}

interface BannerInput {
  url: string;
  role: 'api' | 'worker' | 'all';
  apiKey: string;
  generated: boolean;
  keySource: 'env' | 'file' | 'generated';
  keyRevoked: boolean;
  adminKey: string;
  adminKeySource: 'env' | 'file' | 'generated';
  dataDir: string;
  databaseUrl: string | undefined;
}

/**
 * What `herald serve` prints once it listens. Every role prints the `Health` line (scripts find
 * the URL there); `api` and `all` add the API, dashboard, key and copy-paste examples, while a
 * worker says what it runs and where to watch it, since it serves no API.
 */
function printBanner(b: BannerInput): void {
  const health = `  Health     ${b.url}/healthz   (readiness ${b.url}/readyz)`; // uncoloured: scripts parse it
  const out = b.role === 'worker' ? workerBanner(b, health) : apiBanner(b, health);
  process.stdout.write(out.join('\n') + '\n');
}

function workerBanner(b: BannerInput, health: string): string[] {
  return [
    '',
    pc.bold(pc.green('Herald worker is running')),
    '  Role       worker: delivery engine, executors, retention; no API here (HERALD_ROLE=api or all serves it)',
    health,
    `  Metrics    ${b.url}/metrics`,
    `  JWKS       ${b.url}/.well-known/jwks.json`,
    `  Database   ${b.databaseUrl ? withoutCredentials(b.databaseUrl) : `SQLite in ${b.dataDir}`}`,
    `  Data       ${b.dataDir}`,
    '',
  ];
}

/**
 * The key line, and what the examples put in the header. stdout is the log stream: a key is
 * printed only when this start generated it; otherwise the banner says where it is.
 */
function keyLines(b: BannerInput): { line: string; header: string } {
  if (b.generated) return { line: `${pc.yellow(b.apiKey)}   (new; saved in the data dir)`, header: b.apiKey };
  const prefix = `${b.apiKey.slice(0, 7)}…`;
  if (b.keySource === 'file') {
    const file = `${b.dataDir}/api-key`;
    return { line: `${prefix}   (saved in ${file})`, header: `'"$(cat ${file})"'` };
  }
  if (b.keyRevoked)
    return {
      line: pc.red(`${prefix}   HERALD_API_KEY is revoked and does not authenticate: set a new one`),
      header: '…',
    };
  return { line: `${prefix}   (from HERALD_API_KEY or --api-key)`, header: `'"$HERALD_API_KEY"'` };
}

/** The admin key line: the key itself only when this start generated it. */
function adminKeyLine(b: BannerInput): string {
  if (b.adminKeySource === 'generated') return `${pc.yellow(b.adminKey)}   (new; saved in ${b.dataDir}/admin-key)`;
  const prefix = `${b.adminKey.slice(0, 7)}…`;
  if (b.adminKeySource === 'file') return `${prefix}   (saved in ${b.dataDir}/admin-key)`;
  return `${prefix}   (from HERALD_ADMIN_KEY)`;
}

function apiBanner(b: BannerInput, health: string): string[] {
  const { url } = b;
  const { line, header: apiKey } = keyLines(b);
  return [
    '',
    pc.bold(pc.green('Herald is running')),
    `  API        ${pc.cyan(`${url}/v1beta`)}   (also ${url}/v1)`,
    `  Dashboard  ${pc.cyan(`${url}/`)}`,
    `  OpenAPI    ${url}/openapi.json`,
    health,
    `  API key    ${line}`,
    `  Admin key  ${adminKeyLine(b)}   (projects, portal links: docs/tenants.md)`,
    `  Data       ${b.dataDir}`,
    '',
    'Try it from another terminal (the response holds the signing secret, shown once):',
    `  curl -s ${url}/v1beta/webhooks -H 'x-goog-api-key: ${apiKey}' -H 'content-type: application/json' \\`,
    `    -d '{"uri":"http://127.0.0.1:3000/webhooks","subscribed_events":["invoice.ready"]}'`,
    `  curl -s ${url}/v1beta/events -H 'x-goog-api-key: ${apiKey}' -H 'content-type: application/json' \\`,
    `    -d '{"type":"invoice.ready","data":{"id":"inv_1"}}'`,
    `  curl -s ${url}/v1beta/deliveries -H 'x-goog-api-key: ${apiKey}'`,
    'or with the CLI (it reads the key from ./.herald/api-key):',
    '  npx herald webhooks create --uri http://127.0.0.1:3000/webhooks --events invoice.ready',
    `  npx herald events emit invoice.ready --data '{"id":"inv_1"}'`,
    '  npx herald deliveries list',
    '',
  ];
}

/** A database URL fit to print: no user or password. */
function withoutCredentials(databaseUrl: string): string {
  try {
    const u = new URL(databaseUrl);
    u.username = '';
    u.password = '';
    u.searchParams.delete('password');
    return u.toString();
  } catch {
    return 'PostgreSQL';
  }
}
