/**
 * The server's layers, checked by `npm run lint` (dependency-cruiser): a folder may import only
 * folders of a LOWER rank (or its own), and no import cycle may exist. See docs/architecture.md.
 *
 *   0 kernel        clock, ids, domain errors
 *   1 model         records, the event envelope
 *   2 ports         narrow interfaces the consumers own
 *   3 observability logger, metrics, tracing
 *   4 store, keys   dialects implementing the ports; key material and its lifecycle
 *   5 delivery      engine, settle, retry, breaker, transport/, signing/
 *   6 operations    operation service, states, kinds registry, runner/
 *   7 services      what http/ and dashboard/ call
 *   8 http          routes, auth, error rendering
 *   9 gemini        the Gemini surface (kinds, simulator, routes), dashboard
 *  10 compose       the composition root (herald, app, config)
 *
 * Two more rules: http/, dashboard/ and gemini/ never import store/ (they reach data through
 * services/ and ports/), and production code never imports testing/.
 */
const RANKS = {
  kernel: 0,
  model: 1,
  ports: 2,
  observability: 3,
  store: 4,
  keys: 4,
  delivery: 5,
  operations: 6,
  services: 7,
  http: 8,
  gemini: 9,
  dashboard: 9,
  compose: 10,
};
const SRC = '^packages/server/src/';
const layers = Object.keys(RANKS);

const upward = layers.map((from) => {
  const higher = layers.filter((to) => to !== from && RANKS[to] >= RANKS[from]);
  return {
    name: `layer-${from}`,
    comment: `${from}/ (rank ${RANKS[from]}) may not import ${higher.join(', ')}: move the shared piece down a layer, or invert the dependency with a port`,
    severity: 'error',
    from: { path: `${SRC}${from}/` },
    to: { path: `${SRC}(${higher.join('|')})/` },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: break it by moving the shared piece to a lower layer',
      severity: 'error',
      from: { path: SRC },
      to: { circular: true },
    },
    ...upward,
    {
      name: 'edges-never-touch-the-store',
      comment: 'http/, dashboard/ and gemini/ reach data through services/ (or a port type), never store/',
      severity: 'error',
      from: { path: `${SRC}(http|dashboard|gemini)/` },
      to: { path: `${SRC}store/` },
    },
    {
      name: 'no-testing-in-production',
      comment: 'testing/ holds test helpers; production code may not import it',
      severity: 'error',
      from: { path: SRC, pathNot: `${SRC}testing/|\\.test\\.ts$` },
      to: { path: `${SRC}testing/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/|\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { conditionNames: ['@herald/source', 'import', 'default'] },
  },
};
