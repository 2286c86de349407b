import { describe, expect, it } from 'vitest';
import { validateDestinationUrl } from './validate-destination-url.js';

const PROD = { requireHttps: true, allowPrivate: false };
const DEV = { requireHttps: false, allowPrivate: true };
const PROD_HTTP = { requireHttps: false, allowPrivate: false };

function reason(raw: string, policy = PROD): string {
  const r = validateDestinationUrl(raw, policy);
  if (r.ok) throw new Error(`expected ${raw} to be rejected`);
  return r.reason;
}

describe('validateDestinationUrl', () => {
  it('accepts ordinary https URLs and returns the parsed URL', () => {
    const r = validateDestinationUrl('https://hooks.example.com:8443/in?x=1', PROD);
    expect(r.ok && r.url.href).toBe('https://hooks.example.com:8443/in?x=1');
    expect(validateDestinationUrl('https://93.184.216.34/hook', PROD).ok).toBe(true);
    expect(validateDestinationUrl('https://[2606:4700:4700::1111]/hook', PROD).ok).toBe(true);
  });

  it('accepts loopback http receivers in development', () => {
    for (const raw of [
      'http://127.0.0.1:3000/hook',
      'http://localhost:3000/',
      'http://[::1]:8080/x',
      'http://10.1.2.3/',
    ]) {
      expect(validateDestinationUrl(raw, DEV).ok).toBe(true);
    }
  });

  it('rejects unparseable and relative URLs', () => {
    expect(reason('not-a-url')).toMatch(/not an absolute URL/);
    expect(reason('/relative/path')).toMatch(/not an absolute URL/);
    expect(reason('')).toMatch(/not an absolute URL/);
  });

  it('rejects other schemes', () => {
    expect(reason('ftp://example.com/x', DEV)).toMatch(/scheme "ftp" is not allowed/);
    expect(reason('file:///etc/passwd', DEV)).toMatch(/scheme "file"/);
    expect(reason('javascript:alert(1)', DEV)).toMatch(/scheme "javascript"/);
  });

  it('requires https when configured', () => {
    expect(reason('http://example.com/hook')).toBe('https:// is required for webhook destinations');
    expect(validateDestinationUrl('http://example.com/hook', PROD_HTTP).ok).toBe(true);
  });

  it('rejects credentials and fragments', () => {
    expect(reason('https://user:pw@example.com/')).toMatch(/must not contain credentials/);
    expect(reason('https://user@example.com/')).toMatch(/must not contain credentials/);
    expect(reason('https://example.com/hook#frag')).toMatch(/fragment/);
    expect(reason('https://example.com/hook#')).toMatch(/fragment/);
  });

  it('rejects URLs over 2048 characters and whitespace', () => {
    const long = `https://example.com/${'a'.repeat(2048)}`;
    expect(reason(long)).toMatch(/maximum is 2048/);
    expect(validateDestinationUrl(`https://example.com/${'a'.repeat(2048 - 20)}`, PROD).ok).toBe(true);
    expect(reason(' https://example.com/')).toMatch(/whitespace/);
    expect(reason('https://exa\tmple.com/')).toMatch(/whitespace/);
  });

  it.each([
    ['https://127.0.0.1/', 'loopback'],
    ['https://2130706433/', 'loopback'],
    ['https://0x7f.1/', 'loopback'],
    ['https://[::ffff:127.0.0.1]/', 'loopback'],
    ['https://[::1]/', 'loopback'],
    ['https://10.0.0.8/', 'private'],
    ['https://192.168.0.1/', 'private'],
    ['https://100.64.1.1/', 'carrierGradeNat'],
    ['https://[fd00::1]/', 'uniqueLocal'],
    ['https://169.254.169.254/latest/meta-data', 'linkLocal'],
    ['https://0.0.0.0/', 'unspecified'],
  ])('blocks the IP literal %s (%s) when private networks are blocked', (raw, range) => {
    expect(reason(raw)).toMatch(new RegExp(`is a ${range} address`));
  });

  it('blocks metadata and unspecified literals even in development', () => {
    expect(reason('http://169.254.169.254/', DEV)).toMatch(/linkLocal address/);
    // IPv6 forms embedding it: IPv4-compatible and RFC 8215 local-use NAT64.
    expect(reason('http://[::a9fe:a9fe]/', DEV)).toMatch(/linkLocal address/);
    expect(reason('http://[64:ff9b:1::a9fe:a9fe]/', DEV)).toMatch(/metadata address/);
    expect(reason('https://[::7f00:1]/', PROD)).toMatch(/loopback address/);
    expect(reason('http://[fd00:ec2::254]/', DEV)).toMatch(/metadata address/);
    expect(reason('http://0.0.0.0:8080/', DEV)).toMatch(/unspecified address/);
  });

  it('blocks localhost names when private networks are blocked', () => {
    expect(reason('https://localhost/')).toMatch(/host localhost is not an allowed destination/);
    expect(reason('https://LOCALHOST./')).toMatch(/host localhost\. is not an allowed/);
    expect(reason('https://api.localhost:8443/')).toMatch(/api\.localhost/);
    expect(validateDestinationUrl('https://localhost.example.com/', PROD).ok).toBe(true);
  });
});
