/**
 * Counts the HTTP requests a test file makes to Herald through a client library (the real
 * `@google/genai` uses the global `fetch`): wraps `globalThis.fetch` once and counts every request
 * whose URL starts with one of the registered base URLs. For the report of how large an
 * SDK-driven suite is; it changes no request.
 */
export function countCalls(): { track(baseUrl: string): void; readonly count: number; restore(): void } {
  const original = globalThis.fetch;
  const bases = new Set<string>();
  let count = 0;
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if ([...bases].some((b) => url.startsWith(b))) count++;
    return original(input, init);
  };
  return {
    track: (baseUrl) => void bases.add(baseUrl),
    get count() {
      return count;
    },
    restore: () => void (globalThis.fetch = original),
  };
}
