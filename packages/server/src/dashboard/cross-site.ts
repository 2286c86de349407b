import type { FastifyRequest } from 'fastify';

/** Whether a request came from another site: a foreign `Origin`, or `Sec-Fetch-Site: cross-site`. */
export function isCrossSite(req: FastifyRequest): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  return !isSameOrigin(origin, req);
}

/**
 * Whether a state-changing request says it comes from this origin: `Sec-Fetch-Site: same-origin`,
 * or (older browsers, scripts) an `Origin` whose host is this server's. Neither present, or any
 * other value (`same-site`, `cross-site`, `none`, a foreign `Origin`) is refused. `Origin: null`
 * is what a page with `Referrer-Policy: no-referrer` sends on its own form posts: it counts only
 * with `Sec-Fetch-Site: same-origin`.
 */
export function saysSameOrigin(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  if (site !== undefined)
    return site === 'same-origin' && (origin === undefined || origin === 'null' || isSameOrigin(origin, req));
  return origin !== undefined && isSameOrigin(origin, req);
}

function isSameOrigin(origin: string, req: FastifyRequest): boolean {
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
