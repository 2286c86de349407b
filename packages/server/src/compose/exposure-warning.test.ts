import { describe, expect, it } from 'vitest';
import { exposureWarning, isLoopbackHost } from './exposure-warning.js';

describe('exposureWarning', () => {
  it.each(['127.0.0.1', '127.0.0.2', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
    expect(exposureWarning({ env: 'development', host, allowPrivateNetworks: true })).toBeUndefined();
  });
  it.each(['0.0.0.0', '::', '10.0.0.5', 'herald.internal'])('development on %s warns', (host) => {
    expect(exposureWarning({ env: 'development', host, allowPrivateNetworks: true })).toMatch(
      new RegExp(
        `development mode on ${host.replace(/\./g, '\\.')}, reachable from other machines, with private and loopback destinations allowed \\(SSRF\\): set HERALD_ENV=production`,
      ),
    );
  });
  it('production does not warn', () => {
    expect(exposureWarning({ env: 'production', host: '0.0.0.0', allowPrivateNetworks: false })).toBeUndefined();
  });
});
