import ipaddr from 'ipaddr.js';

/** Which destinations are reachable. */
export interface AddressPolicy {
  /** `true` in development (`HERALD_ALLOW_PRIVATE_NETWORKS`): loopback and private ranges are allowed. */
  allowPrivate: boolean;
}

/** Result of {@link checkAddress}: the verdict and the ipaddr.js range that decided it. */
export interface AddressCheck {
  allowed: boolean;
  /** Normalised address (IPv4-mapped IPv6 unwrapped to IPv4), or the input when unparseable. */
  address: string;
  /** ipaddr.js range name (`unicast`, `loopback`, `private`, …), `metadata`, or `invalid`. */
  range: string;
}

/**
 * Cloud instance-metadata endpoints outside link-local (which is blocked as a whole):
 * AWS IMDS over IPv6 and Alibaba Cloud's metadata server.
 */
const METADATA_ADDRESSES = new Set(['fd00:ec2::254', '100.100.100.200']);

/** Ranges blocked even when private networks are allowed: never a valid webhook destination. */
const ALWAYS_BLOCKED = new Set(['unspecified', 'multicast', 'broadcast', 'linkLocal']);

/**
 * Classifies an IP address for the SSRF guard.
 *
 * - IPv4-mapped (`::ffff:127.0.0.1`), IPv4-compatible (`::/96`, `::a9fe:a9fe`) and IPv4-translated
 *   (`::ffff:0:0/96`) IPv6 are unwrapped and judged as the IPv4 inside.
 * - `allowPrivate: false` (production): only `range() === 'unicast'` is allowed. That blocks loopback,
 *   private (RFC 1918), link-local, carrier-grade NAT, unique-local, unspecified, multicast,
 *   broadcast, reserved/documentation, NAT64 (rfc6052), 6to4, Teredo and the other special ranges.
 * - `allowPrivate: true` (development): everything except unspecified (`0.0.0.0`, `::`), multicast
 *   and broadcast.
 * - Always blocked, whatever the policy: link-local (`169.254.0.0/16`, `fe80::/10`, which holds the
 *   cloud metadata service `169.254.169.254`) and the metadata addresses `fd00:ec2::254` and
 *   `100.100.100.200`, also when embedded in NAT64 (`64:ff9b::/96`, and the RFC 8215 local-use
 *   `64:ff9b:1::/48` in both its /48 and /96 layouts).
 * - Unparseable input is blocked.
 */
export function checkAddress(ip: string, policy: AddressPolicy): AddressCheck {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(text)) return { allowed: false, address: ip, range: 'invalid' };
  let addr = ipaddr.parse(text);
  if (addr.kind() === 'ipv6') addr = embeddedIPv4(addr as ipaddr.IPv6) ?? addr;
  const address = addr.toString();
  const range = addr.range();

  if (METADATA_ADDRESSES.has(address) || isNat64OfBlocked(addr)) return { allowed: false, address, range: 'metadata' };
  if (ALWAYS_BLOCKED.has(range)) return { allowed: false, address, range };
  return { allowed: policy.allowPrivate || range === 'unicast', address, range };
}

/** `true` when the SSRF guard lets a connection to `ip` through under `policy` (see {@link checkAddress}). */
export function isAllowedAddress(ip: string, policy: AddressPolicy): boolean {
  return checkAddress(ip, policy).allowed;
}

/**
 * The IPv4 address an IPv6 address stands for, when it is one: IPv4-mapped `::ffff:a.b.c.d`,
 * IPv4-translated `::ffff:0:a.b.c.d` and IPv4-compatible `::a.b.c.d` (not `::` and `::1`, which
 * are IPv6's own unspecified and loopback addresses).
 */
function embeddedIPv4(addr: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = addr.parts;
  const zeros = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  const mapped = zeros(0, 5) && p[5] === 0xffff;
  const translated = zeros(0, 4) && p[4] === 0xffff && p[5] === 0;
  const compatible = zeros(0, 6) && !zeros(6, 7);
  if (!mapped && !translated && !compatible) return undefined;
  return new ipaddr.IPv4(addr.toByteArray().slice(12));
}

/**
 * NAT64 prefixes embedding a link-local or metadata IPv4 address: the well-known `64:ff9b::/96`
 * and RFC 8215's local-use `64:ff9b:1::/48`, whose translator may embed the IPv4 address in the
 * RFC 6052 /48 layout (bytes 6-7 and 9-10) or in the last 32 bits (a /96 inside the /48).
 */
function isNat64OfBlocked(addr: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (addr.kind() !== 'ipv6') return false;
  const v6 = addr as ipaddr.IPv6;
  const parts = v6.parts;
  if (parts[0] !== 0x64 || parts[1] !== 0xff9b) return false;
  const bytes = v6.toByteArray();
  const candidates: number[][] = [];
  if (parts.slice(2, 6).every((p) => p === 0)) candidates.push(bytes.slice(12));
  if (parts[2] === 1) candidates.push(bytes.slice(12), [bytes[6]!, bytes[7]!, bytes[9]!, bytes[10]!]);
  return candidates.some((b) => {
    const v4 = new ipaddr.IPv4(b);
    return v4.range() === 'linkLocal' || METADATA_ADDRESSES.has(v4.toString());
  });
}
