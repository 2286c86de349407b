import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSse } from '../src/testing/sse-client.js';
import { startReceiver, type Receiver } from '../src/testing/receiver.js';
import { testBackends } from '../src/testing/test-backends.js';
import { startTestHerald, type TestHerald } from '../src/testing/test-herald.js';
import {
  documentedRoutes,
  fillPath,
  isAdminRoute,
  isInstanceRoute,
  isPrefixed,
  namesResource,
  type DocumentedRoute,
} from './support/openapi-routes.js';
import { secretsOf, seedProject, type SeededProject } from './support/tenant-seed.js';

/**
 * The isolation matrix (issue #13): two projects A and B, each with one of everything, and every
 * path + verb of `/openapi.json` (un-prefixed and under `/projects/{projectId}/`) called with B's
 * key and A's ids. B never gets A's data, A's ids are 404, A's strings never appear in B's answers
 * (except the id B itself put in the URL, echoed by a 404), and A is unchanged afterwards. The
 * admin key under `/projects/A/` answers like A's own key, and a project key gets 403 on the
 * admin plane.
 */
const backends = await testBackends('tenant isolation');

interface Answer {
  status: number;
  text: string;
  json: { error?: { status?: string; message?: string } } & Record<string, unknown>;
}

async function call(
  h: TestHerald,
  key: string,
  method: string,
  path: string,
  extra: Record<string, string> = {},
  body: unknown = {},
): Promise<Answer> {
  const abort = new AbortController();
  const withBody = method === 'POST' || method === 'PATCH' || method === 'PUT';
  const res = await fetch(h.url + path, {
    method,
    headers: { 'x-goog-api-key': key, ...(withBody ? { 'content-type': 'application/json' } : {}), ...extra },
    ...(withBody ? { body: JSON.stringify(body) } : {}),
    signal: abort.signal,
  });
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    abort.abort();
    return { status: res.status, text: '', json: {} };
  }
  const text = await res.text();
  let json = {};
  try {
    json = JSON.parse(text) as object;
  } catch {
    // a download or the Prometheus text
  }
  return { status: res.status, text, json };
}

/** A's strings in `answer` that the caller did not itself send in `path`. */
const leaked = (a: SeededProject, path: string, answer: Answer) =>
  secretsOf(a).filter((s) => answer.text.includes(s) && !path.includes(s));

const isGet = (r: DocumentedRoute) => r.method === 'GET';

for (const backend of backends) {
  describe(`${backend.name}: tenant isolation over every documented route`, () => {
    let h: TestHerald;
    let rx: Receiver;
    let a: SeededProject;
    let twin: SeededProject;
    let b: SeededProject;
    let routes: DocumentedRoute[];
    let projectRoutes: DocumentedRoute[];

    beforeAll(async () => {
      await backend.reset();
      rx = await startReceiver();
      h = await startTestHerald({ config: { ...backend.config, timeScale: 1000 } });
      a = await seedProject(h, rx, 'alpha-co', 'Alpha Corp');
      twin = await seedProject(h, rx, 'alpha-twin', 'Alpha Twin');
      b = await seedProject(h, rx, 'bravo-co', 'Bravo Corp');
      await h.waitForAttempts(3);
      routes = await documentedRoutes(h.url);
      projectRoutes = routes.filter((r) => !isAdminRoute(r.template) && !isInstanceRoute(r.template));
    });
    afterAll(async () => {
      await h?.close();
      await rx?.close();
    });

    it("B's key on every route with A's ids: never 2xx with A's data, A's ids 404, A unchanged", async () => {
      expect(projectRoutes.length).toBeGreaterThan(100); // the document lists them all
      const snapshot = async () => {
        const out: Record<string, Answer> = {};
        for (const r of projectRoutes.filter((x) => isGet(x) && !isPrefixed(x.template))) {
          const path = fillPath(r.template, a, a.id);
          if (path.endsWith(':stream')) continue;
          const ans = await call(h, a.key, 'GET', path);
          out[path] = { ...ans, json: {} };
        }
        return out;
      };
      const before = await snapshot();
      let cases = 0;
      const failures: string[] = [];
      for (const r of projectRoutes) {
        const forms = isPrefixed(r.template) ? [a.id, b.id] : [b.id];
        for (const projectId of forms) {
          const path = fillPath(r.template, a, projectId);
          const ans = await call(h, b.key, r.method, path, {}, r.body);
          cases++;
          const where = `${r.method} ${path} → ${ans.status} ${ans.text.slice(0, 160)}`;
          const mustBe404 = namesResource(r.template) || projectId === a.id;
          if (mustBe404 && ans.status !== 404) failures.push(`expected 404: ${where}`);
          if (mustBe404 && ans.status === 404 && ans.json.error?.status !== 'NOT_FOUND')
            failures.push(`shape: ${where}`);
          const l = leaked(a, path, ans);
          if (l.length) failures.push(`leaks ${l.join(', ')}: ${where}`);
        }
      }
      console.info(`${backend.name}: ${cases} (route, verb, B's key) cases`);
      expect(failures).toEqual([]);
      expect(await snapshot()).toEqual(before);
    });

    it("B's key cannot reach A through a query parameter or the project header", async () => {
      const lists = projectRoutes.filter((r) => isGet(r) && !namesResource(r.template) && !isPrefixed(r.template));
      const failures: string[] = [];
      let cases = 0;
      for (const r of lists) {
        const base = fillPath(r.template, a, b.id);
        if (base.endsWith(':stream')) continue;
        for (const q of [
          `project=${a.id}`,
          `projectId=${a.id}`,
          `project_id=${a.id}`,
          `parent=projects/${a.id}`,
          `filter=project:${a.id}`,
          `key=${a.key}`,
        ]) {
          const path = `${base}?${q}`;
          const ans = await call(h, b.key, 'GET', path);
          cases++;
          const l = leaked(a, path, ans);
          if (l.length) failures.push(`leaks ${l.join(', ')}: GET ${path} → ${ans.status}`);
        }
        const viaHeader = await call(h, b.key, 'GET', base, { 'x-herald-project': a.id });
        cases++;
        if (viaHeader.status !== 404) failures.push(`x-herald-project: GET ${base} → ${viaHeader.status}`);
      }
      console.info(`${backend.name}: ${cases} query-parameter / header cases`);
      expect(failures).toEqual([]);
    });

    it("B's SSE stream and long-polls never see A's events or operations", async () => {
      const asB = await connectSse(`${h.url}/v1beta/events:stream`, { 'x-goog-api-key': b.key });
      const asA = await connectSse(`${h.url}/v1beta/events:stream`, { 'x-goog-api-key': a.key });
      try {
        expect(asB.status).toBe(200);
        const fromA = await call(h, a.key, 'POST', '/v1beta/events');
        expect(fromA.status).toBe(400); // an empty body: nothing logged
        const posted = await h.api(
          'POST',
          '/v1beta/events',
          { type: 'job.done', data: { marker: a.marker } },
          {
            'x-goog-api-key': a.key,
          },
        );
        expect(posted.status).toBe(200);
        const mine = await h.api(
          'POST',
          '/v1beta/events',
          { type: 'job.done', data: { marker: b.marker } },
          {
            'x-goog-api-key': b.key,
          },
        );
        expect(mine.status).toBe(200);
        await asA.waitForFrames(1);
        expect(asA.frames.some((f) => f.data?.includes(a.marker))).toBe(true); // events do flow
        const seen = await asB.waitForFrames(1);
        expect(seen.map((f) => f.data).join('\n')).toContain(b.marker);
        expect(asB.frames.filter((f) => secretsOf(a).some((s) => f.data?.includes(s)))).toEqual([]);
      } finally {
        asA.close();
        asB.close();
      }
      for (const path of [
        `/v1beta/operations/${a.operation}`,
        `/v1beta/batches/${a.batch}`,
        `/v1beta/models/${a.videoModel}/operations/${a.video}`,
        `/v1beta/interactions/${a.interaction}`,
      ]) {
        // Answers at once (404), never waits on A's operation: a wait would time the test out.
        const ans = await call(h, b.key, 'GET', `${path}?wait=60s`);
        expect(ans.status, path).toBe(404);
      }
    });

    it('/metrics carries no project, resource or key', async () => {
      const metrics = await call(h, b.key, 'GET', '/metrics');
      expect(metrics.status).toBe(200);
      for (const p of [a, b]) expect(secretsOf(p).filter((s) => metrics.text.includes(s))).toEqual([]);
      expect(metrics.text).not.toContain('alpha');
    });

    it('a project key gets 403 on every admin route', async () => {
      const admin = routes.filter((r) => isAdminRoute(r.template));
      expect(admin.length).toBeGreaterThanOrEqual(2 * 7);
      for (const r of admin) {
        for (const p of [a, b]) {
          const path = fillPath(r.template, p, p.id);
          const ans = await call(h, p.key, r.method, path);
          expect(ans.status, `${r.method} ${path}`).toBe(403);
          expect(ans.json.error?.status).toBe('PERMISSION_DENIED');
        }
      }
    });

    it("the admin key under /projects/A/ answers every route like A's own key", async () => {
      // A twin of A, seeded the same way, is driven with its own key on the un-prefixed routes while
      // the admin drives A under /projects/A/: the same calls in the same order must answer alike.
      const prefixed = projectRoutes.filter((r) => isPrefixed(r.template));
      const ordered = [...prefixed.filter(isGet), ...prefixed.filter((r) => !isGet(r))];
      const failures: string[] = [];
      for (const r of ordered) {
        const asAdmin = await call(h, h.adminKey, r.method, fillPath(r.template, a, a.id), {}, r.body);
        const own = r.template.replace('/projects/{projectId}', '');
        const asOwner = await call(h, twin.key, r.method, fillPath(own, twin, twin.id), {}, r.body);
        if (asAdmin.status !== asOwner.status || asAdmin.json.error?.status !== asOwner.json.error?.status) {
          failures.push(
            `${r.method} ${r.template}: admin ${asAdmin.status} ${asAdmin.text.slice(0, 120)} ≠ own ${asOwner.status}`,
          );
        }
        if (isGet(r) && asAdmin.status !== 200) failures.push(`${r.method} ${r.template}: admin ${asAdmin.status}`);
      }
      console.info(`${backend.name}: ${2 * ordered.length} admin-vs-owner cases`);
      expect(failures).toEqual([]);
    });
  });
}
