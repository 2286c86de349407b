/** The API version of a request URL (`/v1/models/…` → `v1`), for Google's error wording; default `v1beta`. */
export function apiVersionOf(url: string): string {
  return /^\/(v1(?:beta|alpha)?)\//.exec(url)?.[1] ?? 'v1beta';
}
