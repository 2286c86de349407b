/**
 * Parses a `Retry-After` response header into a delay in ms from `now`.
 *
 * Accepts delta-seconds (`"120"`) and an HTTP-date (`"Wed, 21 Oct 2026 07:28:00 GMT"`). A date in
 * the past gives 0. Missing, empty or malformed values give `undefined`. When the header is repeated,
 * the first value is used. No cap is applied here; the retry policy caps at the delivery deadline.
 *
 * @param now Current time in epoch ms (injected clock).
 * @example parseRetryAfter('30', Date.now()) // 30_000
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, now: number): number | undefined {
  const raw = (typeof value === 'string' ? value : value?.[0])?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+$/.test(raw)) {
    const ms = Number(raw) * 1000;
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  // HTTP-date (IMF-fixdate, or the obsolete RFC 850 / asctime forms that Date.parse also understands).
  if (!/[a-z]/i.test(raw)) return undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
