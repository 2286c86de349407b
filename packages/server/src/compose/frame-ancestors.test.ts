import { describe, expect, it } from 'vitest';
import { ConfigError } from '../kernel/config-error.js';
import { loadConfig } from './config.js';
import { frameAncestors } from './frame-ancestors.js';

describe('HERALD_PORTAL_FRAME_ANCESTORS', () => {
  it("defaults to 'self' and keeps space-separated origins", () => {
    expect(loadConfig({}).portalFrameAncestors).toBe("'self'");
    expect(frameAncestors('  ')).toBe("'self'");
    expect(
      loadConfig({ HERALD_PORTAL_FRAME_ANCESTORS: " https://app.example.com  http://localhost:3000 'self' " })
        .portalFrameAncestors,
    ).toBe("https://app.example.com http://localhost:3000 'self'");
    expect(frameAncestors('https://*.example.com http://[::1]:8080')).toBe('https://*.example.com http://[::1]:8080');
    expect(frameAncestors("'none'")).toBe("'none'");
  });

  it.each([
    ['https://app.example.com/path', /"https:\/\/app.example.com\/path" is not an origin/],
    ["'self'; script-src *", /"'self';" is not an origin/],
    ['app.example.com', /use space-separated origins like https:\/\/app.example.com/],
    ['javascript:alert(1)', /is not an origin/],
    ["'none' https://a.example", /'none' cannot be combined/],
  ])('refuses %j', (value, message) => {
    expect(() => frameAncestors(value)).toThrow(ConfigError);
    expect(() => frameAncestors(value)).toThrow(message);
  });
});
