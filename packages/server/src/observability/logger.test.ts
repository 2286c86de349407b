import { describe, expect, it } from 'vitest';
import { redactUrl } from './logger.js';

describe('redactUrl', () => {
  it.each([
    ['/v1beta/webhooks?key=hk_1', '/v1beta/webhooks?key=[redacted]'],
    ['/x?a=1&key=hk_1&b=2', '/x?a=1&key=[redacted]&b=2'],
    ['/x?%6Bey=hk_1', '/x?%6Bey=[redacted]'],
    ['/x?a=1&%6b%65%79=hk_1#f', '/x?a=1&%6b%65%79=[redacted]#f'],
    ['/x?KEY=hk_1', '/x?KEY=[redacted]'],
    ['/x?k%65y=hk_1&keys=ok', '/x?k%65y=[redacted]&keys=ok'],
    ['/x?monkey=ok&%zz=ok', '/x?monkey=ok&%zz=ok'],
    ['/files/key=not-a-query', '/files/key=not-a-query'],
    ['/portal/enter?token=hp_abc', '/portal/enter?token=[redacted]'],
    ['/portal/s/ps_secret/webhooks/wh_1?flash=x', '/portal/s/[redacted]/webhooks/wh_1?flash=x'],
    ['/PORTAL/s/anything', '/portal/s/[redacted]'],
    [`/x/ps_${'a'.repeat(43)}/y`, '/x/[redacted]/y'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
