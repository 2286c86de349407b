import { describe, expect, it } from 'vitest';
import { checkAddress, isAllowedAddress } from './ssrf-guard.js';

const PROD = { allowPrivate: false };
const DEV = { allowPrivate: true };

describe('isAllowedAddress', () => {
  // [address, allowed in production, allowed in development]
  const table: [string, boolean, boolean][] = [
    // public unicast
    ['93.184.216.34', true, true],
    ['8.8.8.8', true, true],
    ['2606:4700:4700::1111', true, true],
    ['[2606:4700:4700::1111]', true, true],
    // loopback
    ['127.0.0.1', false, true],
    ['127.1.2.3', false, true],
    ['::1', false, true],
    ['[::1]', false, true],
    // IPv4-mapped IPv6 is judged as the IPv4 inside
    ['::ffff:127.0.0.1', false, true],
    ['::ffff:7f00:1', false, true],
    ['[::ffff:7f00:1]', false, true],
    ['::ffff:10.0.0.1', false, true],
    ['::ffff:8.8.8.8', true, true],
    ['::ffff:169.254.169.254', false, false],
    // private, CGNAT, unique-local
    ['10.0.0.1', false, true],
    ['172.16.5.4', false, true],
    ['192.168.1.1', false, true],
    ['100.64.0.1', false, true],
    ['fd12:3456::1', false, true],
    ['fc00::1', false, true],
    // link-local and metadata: blocked always
    ['169.254.169.254', false, false],
    ['169.254.170.2', false, false],
    ['fe80::1', false, false],
    ['fd00:ec2::254', false, false],
    ['100.100.100.200', false, false],
    ['64:ff9b::a9fe:a9fe', false, false],
    // IPv4-compatible IPv6 (`::/96`, deprecated) and IPv4-translated (`::ffff:0:0/96`) are judged as
    // the IPv4 inside; so is the RFC 8215 local-use NAT64 prefix `64:ff9b:1::/48`
    ['::a9fe:a9fe', false, false],
    ['[::a9fe:a9fe]', false, false],
    ['::169.254.169.254', false, false],
    ['::7f00:1', false, true],
    ['::a00:1', false, true],
    ['::ffff:0:a9fe:a9fe', false, false],
    ['64:ff9b:1::a9fe:a9fe', false, false],
    ['64:ff9b:1:a9fe:a9:fe00::', false, false],
    ['64:ff9b:1::808:808', false, true],
    // unspecified, multicast, broadcast: blocked always
    ['0.0.0.0', false, false],
    ['0.1.2.3', false, false],
    ['::', false, false],
    ['224.0.0.1', false, false],
    ['ff02::1', false, false],
    ['255.255.255.255', false, false],
    // reserved / documentation / transition ranges: blocked in production only
    ['192.0.2.1', false, true],
    ['198.51.100.7', false, true],
    ['240.0.0.1', false, true],
    ['2001:db8::1', false, true],
    ['64:ff9b::808:808', false, true],
    ['2002:7f00:1::', false, true],
    ['2001:0:4136:e378::1', false, true],
    // not an IP
    ['localhost', false, false],
    ['', false, false],
    ['999.1.1.1', false, false],
  ];

  it.each(table)('%s → production %s, development %s', (ip, prod, dev) => {
    expect(isAllowedAddress(ip, PROD)).toBe(prod);
    expect(isAllowedAddress(ip, DEV)).toBe(dev);
  });
});

describe('checkAddress', () => {
  it('reports the normalised address and the deciding range', () => {
    expect(checkAddress('::ffff:127.0.0.1', PROD)).toEqual({ allowed: false, address: '127.0.0.1', range: 'loopback' });
    expect(checkAddress('169.254.169.254', DEV)).toEqual({
      allowed: false,
      address: '169.254.169.254',
      range: 'linkLocal',
    });
    expect(checkAddress('fd00:ec2::254', DEV)).toMatchObject({ allowed: false, range: 'metadata' });
    expect(checkAddress('nope', DEV)).toEqual({ allowed: false, address: 'nope', range: 'invalid' });
    expect(checkAddress('8.8.8.8', PROD)).toEqual({ allowed: true, address: '8.8.8.8', range: 'unicast' });
    expect(checkAddress('::a9fe:a9fe', DEV)).toEqual({
      allowed: false,
      address: '169.254.169.254',
      range: 'linkLocal',
    });
    expect(checkAddress('::7f00:1', PROD)).toEqual({ allowed: false, address: '127.0.0.1', range: 'loopback' });
  });
});
