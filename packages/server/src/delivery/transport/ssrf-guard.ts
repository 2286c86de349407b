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
 * - IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is unwrapped and judged as IPv4.
 * - `allowPrivate: false` (production): only `range() === 'unicast'` is allowed. That blocks loopback,
 *   private (RFC 1918), link-local, carrier-grade NAT, unique-local, unspecified, multicast,
 *   broadcast, reserved/documentation, NAT64 (rfc6052), 6to4, Teredo and the other special ranges.
 * - `allowPrivate: true` (development): everything except unspecified (`0.0.0.0`, `::`), multicast
 *   and broadcast.
 * - Always blocked, whatever the policy: link-local (`169.254.0.0/16`, `fe80::/10`, which holds the
 *   cloud metadata service `169.254.169.254`) and the metadata addresses `fd00:ec2::254` and
 *   `100.100.100.200`, also when embedded in NAT64 (`64:ff9b::/96`).
 * - Unparseable input is blocked.
 */
export function checkAddress(ip: string, policy: AddressPolicy): AddressCheck {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(text)) return { allowed: false, address: ip, range: 'invalid' };
  let addr = ipaddr.parse(text);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  }
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

/** NAT64 well-known prefix `64:ff9b::/96` embedding a link-local or metadata IPv4 address. */
function isNat64OfBlocked(addr: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (addr.kind() !== 'ipv6') return false;
  const parts = (addr as ipaddr.IPv6).parts;
  if (parts[0] !== 0x64 || parts[1] !== 0xff9b || parts.slice(2, 6).some((p) => p !== 0)) return false;
  const bytes = (addr as ipaddr.IPv6).toByteArray().slice(12);
  const v4 = new ipaddr.IPv4(bytes);
  return v4.range() === 'linkLocal' || METADATA_ADDRESSES.has(v4.toString());
}
