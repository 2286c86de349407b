import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { createGuardedLookup, type LookupAll } from './guarded-connector.js';
import { checkAddress } from './ssrf-guard.js';
import { validateDestinationUrl } from './validate-destination-url.js';

// The SSRF policy as a matrix (issue #15): every blocked range, encodings of the same address,
// DNS answers that mix allowed and blocked addresses, and a name that rebinds between lookups.
// Nothing here opens a connection: addresses are classified, URLs parsed, resolvers injected.

const PROD = { allowPrivate: false };
const DEV = { allowPrivate: true };

/** Blocked in production, by address; `always` ones stay blocked in development too. */
const BLOCKED: [address: string, always: boolean][] = [
  ['0.0.0.0', true],
  ['127.0.0.1', false],
  ['127.255.255.254', false],
  ['10.0.0.1', false],
  ['172.16.0.1', false],
  ['172.31.255.255', false],
  ['192.168.1.1', false],
  ['100.64.0.1', false], // carrier-grade NAT
  ['169.254.169.254', true], // cloud metadata (link-local)
  ['169.254.0.1', true],
  ['100.100.100.200', true], // Alibaba Cloud metadata
  ['192.0.2.1', false], // TEST-NET-1
  ['198.18.0.1', false], // benchmarking
  ['240.0.0.1', false], // reserved
  ['224.0.0.1', true], // multicast
  ['255.255.255.255', true], // broadcast
  ['::', true],
  ['::1', false],
  ['fe80::1', true],
  ['fc00::1', false],
  ['fd00:ec2::254', true], // AWS IMDS over IPv6
  ['ff02::1', true],
  ['::ffff:127.0.0.1', false], // IPv4-mapped
  ['::ffff:169.254.169.254', true],
  ['::a9fe:a9fe', true], // IPv4-compatible 169.254.169.254
  ['::ffff:0:a9fe:a9fe', true], // IPv4-translated
  ['64:ff9b::a9fe:a9fe', true], // NAT64 of metadata
  ['64:ff9b:1::a9fe:a9fe', true], // RFC 8215 local-use NAT64
  ['2002:7f00:1::', false], // 6to4 of 127.0.0.1
  ['2001::1', false], // Teredo
  ['[::1]', false],
];

const ALLOWED = ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8'];

describe('the SSRF policy, address by address', () => {
  it.each(BLOCKED)('%s is blocked in production', (address) => {
    expect(checkAddress(address, PROD).allowed).toBe(false);
  });

  it.each(BLOCKED.filter(([, always]) => always))('%s stays blocked in development', (address) => {
    expect(checkAddress(address, DEV).allowed).toBe(false);
  });

  it.each(ALLOWED)('%s (public unicast) is allowed', (address) => {
    expect(checkAddress(address, PROD).allowed).toBe(true);
  });

  it('blocks what does not parse as an address', () => {
    for (const junk of ['', 'not-an-ip', '256.1.1.1', '1.2.3.4.5', '::g']) {
      expect(checkAddress(junk, DEV)).toMatchObject({ allowed: false, range: 'invalid' });
    }
  });

  it('reads short IPv4 forms as the OS does (inet_aton), so 127.1 is loopback', () => {
    expect(checkAddress('127.1', PROD)).toMatchObject({ allowed: false, address: '127.0.0.1', range: 'loopback' });
    expect(checkAddress('10.1', PROD)).toMatchObject({ allowed: false, range: 'private' });
  });
});

describe('the SSRF policy, URL encodings of loopback and metadata', () => {
  const policy = { requireHttps: false, allowPrivate: false };
  it.each([
    'http://2130706433/hook', // decimal 127.0.0.1
    'http://0x7f000001/hook', // hex
    'http://0177.0.0.1/hook', // octal
    'http://127.1/hook', // short form
    'http://127.0.0.1./hook', // trailing dot
    'http://[::ffff:7f00:1]/hook', // IPv4-mapped, hex groups
    'http://[::ffff:127.0.0.1]/hook',
    'http://[0:0:0:0:0:0:0:1]/hook',
    'http://0xa9.0xfe.0xa9.0xfe/latest/meta-data', // metadata, hex octets
    'http://2852039166/latest/meta-data', // metadata, decimal
    'http://[::a9fe:a9fe]/latest/meta-data',
    'http://localhost/hook',
    'http://LOCALHOST./hook',
    'http://app.localhost/hook',
  ])('%s is refused in production', (url) => {
    const check = validateDestinationUrl(url, policy);
    expect(check.ok, JSON.stringify(check)).toBe(false);
  });

  it('refuses credentials, odd schemes and fragments whatever the host', () => {
    for (const url of ['http://u:p@8.8.8.8/', 'ftp://8.8.8.8/', 'file:///etc/passwd', 'http://8.8.8.8/#x']) {
      expect(validateDestinationUrl(url, { requireHttps: false, allowPrivate: true }).ok).toBe(false);
    }
  });
});

/** A resolver answering from a table; a list of answers is handed out one lookup at a time. */
function resolver(table: Record<string, string[] | string[][]>): LookupAll {
  const calls = new Map<string, number>();
  return (hostname, _options, callback) => {
    const entry = table[hostname] ?? [];
    const n = calls.get(hostname) ?? 0;
    calls.set(hostname, n + 1);
    const list = Array.isArray(entry[0]) ? (entry as string[][])[Math.min(n, entry.length - 1)]! : (entry as string[]);
    callback(
      null,
      list.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
}

function lookupOnce(lookup: ReturnType<typeof createGuardedLookup>, hostname: string) {
  return new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((resolve) => {
    lookup(hostname, { all: true }, (err, address) => resolve({ err, address }));
  });
}

describe('the SSRF policy, DNS answers', () => {
  it('mixed answers: only the allowed addresses are ever offered to connect', async () => {
    const lookup = createGuardedLookup(
      PROD,
      resolver({ mixed: ['127.0.0.1', '8.8.8.8', '169.254.169.254', '::ffff:10.0.0.1', '2606:4700:4700::1111'] }),
    );
    const { err, address } = await lookupOnce(lookup, 'mixed');
    expect(err).toBeNull();
    expect((address as LookupAddress[]).map((a) => a.address)).toEqual(['8.8.8.8', '2606:4700:4700::1111']);
  });

  it('a name whose every answer is blocked fails with ESSRFBLOCKED, in development too for metadata', async () => {
    const table = { internal: ['10.0.0.1', '::1'], meta: ['169.254.169.254', 'fd00:ec2::254'] };
    expect((await lookupOnce(createGuardedLookup(PROD, resolver(table)), 'internal')).err?.code).toBe('ESSRFBLOCKED');
    expect((await lookupOnce(createGuardedLookup(DEV, resolver(table)), 'meta')).err?.code).toBe('ESSRFBLOCKED');
  });

  it('rebinding: a name that was public at one lookup and loopback at the next is blocked the second time', async () => {
    const lookup = createGuardedLookup(PROD, resolver({ rebind: [['8.8.8.8'], ['127.0.0.1']] }));
    expect((await lookupOnce(lookup, 'rebind')).err).toBeNull();
    expect((await lookupOnce(lookup, 'rebind')).err?.code).toBe('ESSRFBLOCKED');
  });
});
