import { resolve } from 'node:path';

export interface HeraldConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** PostgreSQL: named prepared statements (HERALD_DATABASE_PREPARED_STATEMENTS, default true). */
  preparedStatements: boolean;
  apiKey: string | undefined;
  adminKey: string | undefined;
  masterKey: string | undefined;
  env: 'development' | 'production';
  allowPrivateNetworks: boolean;
  timeScale: number;
  role: 'api' | 'worker' | 'all';
  publicUrl: string;
  /** Whether `publicUrl` was configured (`HERALD_PUBLIC_URL`) rather than derived from host and port. */
  publicUrlConfigured?: boolean;
  logLevel: string;
  /** Largest accepted request body. */
  maxRequestBytes: number;
  /** Largest accepted event `data`, serialized. */
  maxEventDataBytes: number;
  attemptTimeoutMs: number;
  /**
   * Wait `10 × p95` of a destination's recent answer times (at least 2 s, at most
   * `attemptTimeoutMs`) instead of the full timeout: hung requests then hold its slots briefly.
   */
  adaptiveTimeout: boolean;
  /**
   * A claimed delivery's lease is `attemptTimeoutMs` + this margin (to record the result). A
   * killed worker's deliveries are handed out again once their leases expire.
   */
  leaseGraceMs: number;
  connectTimeoutMs: number;
  /** How long a client may take to send a whole request (headers and body); then 408 and close. */
  requestTimeoutMs: number;
  /** How long a client may take to send its request headers (at most `requestTimeoutMs`). */
  headersTimeoutMs: number;
  maxInFlightPerDestination: number;
  /** Most attempts in flight in one process (all projects). */
  maxInFlight: number;
  /**
   * Most attempts in flight in one process for one project (all its destinations): a tenant
   * with many backed-up destinations leaves the other slots to the other tenants.
   */
  maxInFlightPerProject: number;
  /**
   * Attempts in a row that reach no endpoint (refused, timed out, reset) after which a
   * destination's deliveries pause and one probe goes out at the end of the pause; 0 turns it off.
   */
  breakerThreshold: number;
  /**
   * SQLite: start with an empty database although one was created in the data dir before (its
   * `herald.db` was deleted or lost). Off: such a start is refused.
   */
  allowEmptyDatabase: boolean;
  /** SQLite: how often to check that the database file is still there. */
  dataDirCheckMs: number;
  /** Settled deliveries, their attempts and events older than this many days are purged. */
  retentionDays: number;
  /**
   * `herald serve` only (an embedding application owns its V8 flags): how far V8 may grow the
   * heap past what the last full GC kept, in percent; 0 leaves V8's default (up to 4× on a large
   * machine). See `limitHeapGrowth`.
   */
  heapGrowthPercent: number;
  /** CSP `frame-ancestors` of the consumer portal: who may embed it in an iframe. */
  portalFrameAncestors: string;
  /**
   * Events a project may emit per second (per API process), unless its `limits.events_per_second`
   * says otherwise; 0 (the default): unlimited.
   */
  projectEventsPerSecond: number;
  /** Webhooks a project may have, unless its `limits.max_webhooks` says otherwise; 0: unlimited. */
  projectMaxWebhooks: number;
}

export { ConfigError } from '../kernel/config-error.js';
import { frameAncestors } from './frame-ancestors.js';
import { ConfigError } from '../kernel/config-error.js';

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return def;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be 1/0, true/false, yes/no or on/off, got "${env[name]}"`);
}

function oneOf<T extends string>(env: Env, name: string, def: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

/**
 * Reads Herald's configuration from environment variables (the `herald serve` flags map onto
 * the same names). Every value is validated; a bad one throws a ConfigError that says what to fix.
 */
export function loadConfig(env: Env = process.env): HeraldConfig {
  const port = int(env, 'HERALD_PORT', 8080, 0, 65535);
  const host = env.HERALD_HOST || '127.0.0.1';
  const mode = oneOf(env, 'HERALD_ENV', 'development', ['development', 'production'] as const);
  const timeScaleRaw = env.HERALD_TIME_SCALE;
  const timeScale = timeScaleRaw ? Number(timeScaleRaw) : 1;
  if (!Number.isFinite(timeScale) || timeScale < 1 || timeScale > 1_000_000) {
    throw new ConfigError(`HERALD_TIME_SCALE must be a number from 1 to 1000000, got "${timeScaleRaw ?? ''}"`);
  }
  const databaseUrl = env.HERALD_DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`HERALD_DATABASE_URL must be a postgres:// URL, got "${databaseUrl}"`);
  }
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const publicUrl = (env.HERALD_PUBLIC_URL || `http://${urlHost}:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`HERALD_PUBLIC_URL must be an absolute URL, got "${publicUrl}"`);
  }
  const role = oneOf(env, 'HERALD_ROLE', 'all', ['api', 'worker', 'all'] as const);
  if (role !== 'all' && !databaseUrl) {
    // On SQLite one process owns the file: an `api` alone would accept events nobody delivers.
    throw new ConfigError(
      `HERALD_ROLE=${role} splits Herald across processes, which needs a shared PostgreSQL database: set HERALD_DATABASE_URL=postgres://… on every process, or leave HERALD_ROLE unset (all) on SQLite`,
    );
  }
  const requestTimeoutMs = int(env, 'HERALD_REQUEST_TIMEOUT_MS', 60_000, 1_000, 3_600_000);
  return {
    port,
    host,
    dataDir: resolve(env.HERALD_DATA_DIR || '.herald'),
    databaseUrl,
    preparedStatements: bool(env, 'HERALD_DATABASE_PREPARED_STATEMENTS', true),
    apiKey: env.HERALD_API_KEY || undefined,
    adminKey: env.HERALD_ADMIN_KEY || undefined,
    masterKey: env.HERALD_MASTER_KEY || undefined,
    env: mode,
    allowPrivateNetworks: bool(env, 'HERALD_ALLOW_PRIVATE_NETWORKS', mode === 'development'),
    timeScale,
    role,
    publicUrl,
    publicUrlConfigured: Boolean(env.HERALD_PUBLIC_URL),
    logLevel: oneOf(env, 'HERALD_LOG_LEVEL', 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ] as const),
    maxRequestBytes: int(env, 'HERALD_MAX_REQUEST_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    maxEventDataBytes: int(env, 'HERALD_MAX_EVENT_DATA_BYTES', 256 * 1024, 64, 16 * 1024 * 1024),
    attemptTimeoutMs: int(env, 'HERALD_ATTEMPT_TIMEOUT_MS', 15_000, 100, 120_000),
    adaptiveTimeout: bool(env, 'HERALD_ADAPTIVE_TIMEOUT', true),
    leaseGraceMs: int(env, 'HERALD_LEASE_GRACE_MS', 15_000, 1_000, 600_000),
    connectTimeoutMs: int(env, 'HERALD_CONNECT_TIMEOUT_MS', 5_000, 100, 60_000),
    requestTimeoutMs,
    headersTimeoutMs: Math.min(int(env, 'HERALD_HEADERS_TIMEOUT_MS', 15_000, 500, 600_000), requestTimeoutMs),
    maxInFlightPerDestination: int(env, 'HERALD_MAX_IN_FLIGHT_PER_DESTINATION', 16, 1, 1000),
    maxInFlight: int(env, 'HERALD_MAX_IN_FLIGHT', 256, 1, 10_000),
    maxInFlightPerProject: int(env, 'HERALD_MAX_IN_FLIGHT_PER_PROJECT', 128, 1, 10_000),
    breakerThreshold: int(env, 'HERALD_BREAKER_THRESHOLD', 5, 0, 1000),
    allowEmptyDatabase: bool(env, 'HERALD_ALLOW_EMPTY_DATABASE', false),
    dataDirCheckMs: int(env, 'HERALD_DATA_DIR_CHECK_MS', 5_000, 100, 600_000),
    retentionDays: int(env, 'HERALD_RETENTION_DAYS', 30, 1, 3650),
    heapGrowthPercent: int(env, 'HERALD_HEAP_GROWTH_PERCENT', 50, 0, 300),
    portalFrameAncestors: frameAncestors(env.HERALD_PORTAL_FRAME_ANCESTORS),
    projectEventsPerSecond: int(env, 'HERALD_PROJECT_EVENTS_PER_SECOND', 0, 0, 1_000_000),
    projectMaxWebhooks: int(env, 'HERALD_PROJECT_MAX_WEBHOOKS', 1000, 0, 100_000),
  };
}
