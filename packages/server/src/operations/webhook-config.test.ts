import { describe, expect, it } from 'vitest';
import { parseWebhookConfig } from './webhook-config.js';

const dev = { requireHttps: false, allowPrivate: true };
const prod = { requireHttps: true, allowPrivate: false };

describe('parseWebhookConfig', () => {
  it('accepts both spellings, dedupes URIs, and drops an empty config', () => {
    expect(
      parseWebhookConfig({ uris: ['http://127.0.0.1:9/a', 'http://127.0.0.1:9/a'], userMetadata: { k: 1 } }, dev),
    ).toEqual({
      uris: ['http://127.0.0.1:9/a'],
      userMetadata: { k: 1 },
    });
    expect(parseWebhookConfig({ user_metadata: { k: 2 } }, dev)).toEqual({ userMetadata: { k: 2 } });
    expect(parseWebhookConfig({}, dev)).toBeUndefined();
    expect(parseWebhookConfig(undefined, dev)).toBeUndefined();
  });

  it('applies the URL policy of the environment', () => {
    expect(() => parseWebhookConfig({ uris: ['http://127.0.0.1:9/a'] }, prod)).toThrow(/uris\[0\] .* is not allowed/);
    expect(() => parseWebhookConfig({ uris: ['http://169.254.169.254/'] }, dev)).toThrow(/is not allowed/);
  });

  it('names the field that is wrong', () => {
    expect(() => parseWebhookConfig({ uris: ['a', 1] }, dev, 'batch.webhook_config')).toThrow(
      /batch.webhook_config.uris must be an array of URL strings/,
    );
    expect(() => parseWebhookConfig({ uri: 'x' }, dev)).toThrow(/unknown field "uri"; use "uris"/);
    expect(() => parseWebhookConfig({ user_metadata: [1] }, dev)).toThrow(/must be a JSON object/);
  });
});
