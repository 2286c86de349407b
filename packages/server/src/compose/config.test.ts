import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      env: 'development',
      allowPrivateNetworks: true,
      timeScale: 1,
      role: 'all',
      publicUrl: 'http://127.0.0.1:8080',
      maxRequestBytes: 1048576,
      maxEventDataBytes: 262144,
      retentionDays: 30,
      attemptTimeoutMs: 15000,
      connectTimeoutMs: 5000,
      leaseGraceMs: 15000,
      preparedStatements: true,
    });
    expect(c.dataDir.endsWith('.herald')).toBe(true);
    expect(loadConfig({ HERALD_DATABASE_PREPARED_STATEMENTS: 'false' }).preparedStatements).toBe(false);
  });

  it('blocks private networks by default in production', () => {
    expect(loadConfig({ HERALD_ENV: 'production' }).allowPrivateNetworks).toBe(false);
    expect(loadConfig({ HERALD_ENV: 'production', HERALD_ALLOW_PRIVATE_NETWORKS: '1' }).allowPrivateNetworks).toBe(
      true,
    );
  });

  it.each([
    [{ HERALD_PORT: 'x' }, /HERALD_PORT must be an integer from 0 to 65535/],
    [{ HERALD_ENV: 'prod' }, /HERALD_ENV must be one of development, production/],
    [{ HERALD_TIME_SCALE: '0' }, /HERALD_TIME_SCALE must be a number/],
    [{ HERALD_ALLOW_PRIVATE_NETWORKS: 'maybe' }, /HERALD_ALLOW_PRIVATE_NETWORKS must be/],
    [{ HERALD_DATABASE_URL: 'mysql://x' }, /postgres:\/\//],
    [{ HERALD_RETENTION_DAYS: '0' }, /HERALD_RETENTION_DAYS must be an integer from 1 to 3650/],
    [{ HERALD_LEASE_GRACE_MS: '500' }, /HERALD_LEASE_GRACE_MS must be an integer from 1000 to 600000, got "500"/],
    [{ HERALD_LEASE_GRACE_MS: '2.5s' }, /HERALD_LEASE_GRACE_MS must be an integer/],
    [{ HERALD_BREAKER_THRESHOLD: '-1' }, /HERALD_BREAKER_THRESHOLD must be an integer from 0 to 1000/],
    [{ HERALD_ROLE: 'api' }, /HERALD_ROLE=api splits Herald across processes, which needs a shared PostgreSQL/],
    [{ HERALD_ROLE: 'worker' }, /set HERALD_DATABASE_URL=postgres:\/\/… on every process/],
  ])('rejects %j with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('takes api and worker roles on PostgreSQL', () => {
    const db = { HERALD_DATABASE_URL: 'postgres://127.0.0.1/herald' };
    expect(loadConfig({ ...db, HERALD_ROLE: 'api' }).role).toBe('api');
    expect(loadConfig({ ...db, HERALD_ROLE: 'worker' }).role).toBe('worker');
    expect(loadConfig({ HERALD_BREAKER_THRESHOLD: '0' }).breakerThreshold).toBe(0);
  });

  it('reads the lease grace', () => {
    expect(loadConfig({ HERALD_LEASE_GRACE_MS: '2000' }).leaseGraceMs).toBe(2000);
  });

  it('derives the public URL from host and port', () => {
    expect(loadConfig({ HERALD_HOST: '0.0.0.0', HERALD_PORT: '9000' }).publicUrl).toBe('http://127.0.0.1:9000');
    expect(loadConfig({ HERALD_PUBLIC_URL: 'https://hooks.example.com/' }).publicUrl).toBe('https://hooks.example.com');
  });

  it('reads the per-project limits and in-flight shares, with generous defaults', () => {
    const d = loadConfig({});
    expect([d.projectEventsPerSecond, d.projectMaxWebhooks, d.maxInFlight, d.maxInFlightPerProject]).toEqual([
      0, 1000, 256, 128,
    ]);
    const c = loadConfig({
      HERALD_PROJECT_EVENTS_PER_SECOND: '50',
      HERALD_PROJECT_MAX_WEBHOOKS: '0',
      HERALD_MAX_IN_FLIGHT: '64',
      HERALD_MAX_IN_FLIGHT_PER_PROJECT: '16',
    });
    expect([c.projectEventsPerSecond, c.projectMaxWebhooks, c.maxInFlight, c.maxInFlightPerProject]).toEqual([
      50, 0, 64, 16,
    ]);
    expect(() => loadConfig({ HERALD_PROJECT_EVENTS_PER_SECOND: '-1' })).toThrow(
      'HERALD_PROJECT_EVENTS_PER_SECOND must be an integer from 0 to 1000000, got "-1"',
    );
  });
});
