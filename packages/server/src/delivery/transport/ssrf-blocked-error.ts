/**
 * Raised by the guarded connector when a destination resolves to, or connects to, an address that
 * the SSRF policy forbids. Match on `code === 'ESSRFBLOCKED'` (undici may surface it from a different
 * realm, so prefer the code over `instanceof`).
 */
export class SsrfBlockedError extends Error {
  readonly code = 'ESSRFBLOCKED';

  /**
   * @param address The blocked IP address (or addresses, comma-separated).
   * @param range Why: the ipaddr.js range (`loopback`, `private`, `linkLocal`, `metadata`, …).
   * @param host The host name being connected to, when it differs from the address.
   */
  constructor(
    readonly address: string,
    readonly range: string,
    readonly host?: string,
  ) {
    const target = host !== undefined && host !== address ? `${host} (${address})` : address;
    super(`SSRF guard: refusing to connect to ${target}: ${range} address is not an allowed destination`);
    this.name = 'SsrfBlockedError';
  }
}
