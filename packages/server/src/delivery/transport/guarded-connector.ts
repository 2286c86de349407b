import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import { SsrfBlockedError } from './ssrf-blocked-error.js';
import { checkAddress, type AddressPolicy } from './ssrf-guard.js';

/** A resolver returning every address of a name (the shape of `dns.lookup` with `all: true`). */
export type LookupAll = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemLookup: LookupAll = (hostname, options, callback) => {
  dnsLookup(hostname, options, callback);
};

/** Options of {@link createGuardedConnector}. */
export interface GuardedConnectorOptions extends AddressPolicy {
  /** TCP (+ TLS) connect timeout; undici fails with `UND_ERR_CONNECT_TIMEOUT`. Default 5000. */
  connectTimeoutMs?: number | undefined;
  /** Resolver used by the lookup hook (default: the system resolver, `dns.lookup`). */
  lookup?: LookupAll | undefined;
}

/**
 * A `net.connect` lookup hook that resolves every address of a name and keeps only the allowed
 * ones, so a name resolving to a private or metadata address fails before a SYN is sent. When
 * nothing is left, it fails with {@link SsrfBlockedError} naming the blocked addresses.
 */
export function createGuardedLookup(policy: AddressPolicy, resolve: LookupAll = systemLookup): LookupFunction {
  return function guardedLookup(hostname, options, callback) {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) {
        callback(err, '');
        return;
      }
      const allowed = addresses.filter((a) => checkAddress(a.address, policy).allowed);
      const first = allowed[0];
      if (first === undefined) {
        const ranges = [...new Set(addresses.map((a) => checkAddress(a.address, policy).range))];
        const list = addresses.map((a) => a.address).join(', ') || 'no address';
        callback(new SsrfBlockedError(list, ranges.join('/') || 'unresolved', hostname), '');
        return;
      }
      if (options.all === true) {
        callback(null, allowed);
        return;
      }
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Wraps an undici connector with the two checks that cannot be bypassed by resolver tricks:
 * (a) an IP-literal host (`127.0.0.1`, `[::ffff:7f00:1]`, what `http://2130706433` normalises to)
 * outside the policy is rejected before connecting (Node skips `lookup` for literals);
 * (b) after connecting, the socket's actual `remoteAddress` is checked, and the socket destroyed if it
 * is not allowed (covers DNS rebinding and any other resolver path).
 */
export function guardConnector(base: buildConnector.connector, policy: AddressPolicy): buildConnector.connector {
  return function guardedConnect(options, callback) {
    const host = options.hostname.startsWith('[') ? options.hostname.slice(1, -1) : options.hostname;
    if (isIP(host) !== 0) {
      const check = checkAddress(host, policy);
      if (!check.allowed) {
        process.nextTick(callback, new SsrfBlockedError(check.address, check.range), null);
        return;
      }
    }
    base(options, (err, socket) => {
      if (err !== null) {
        callback(err, null);
        return;
      }
      const remote = socket.remoteAddress;
      const check = remote === undefined ? undefined : checkAddress(remote, policy);
      if (check?.allowed !== true) {
        const blocked = new SsrfBlockedError(check?.address ?? 'unknown address', check?.range ?? 'unknown', host);
        socket.destroy();
        callback(blocked, null);
        return;
      }
      callback(null, socket);
    });
  };
}

/**
 * The SSRF-guarded undici connector used by the delivery agent: `buildConnector` with the guarded
 * lookup hook, wrapped by {@link guardConnector}. Blocked connections fail with
 * `code === 'ESSRFBLOCKED'` and a message naming the address.
 *
 * @example
 * new Agent({ connect: createGuardedConnector({ allowPrivate: false, connectTimeoutMs: 5000 }) })
 */
export function createGuardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  const policy = { allowPrivate: options.allowPrivate };
  const base = buildConnector({
    timeout: options.connectTimeoutMs ?? 5000,
    lookup: createGuardedLookup(policy, options.lookup),
  });
  return guardConnector(base, policy);
}
