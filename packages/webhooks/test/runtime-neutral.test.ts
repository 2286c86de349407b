/**
 * The core entry point must run outside Node (edge runtimes): no module reachable from
 * src/index.ts may import a Node built-in or an optional peer. Node-only code lives in the
 * ./node, ./express, ./fastify, ./sqlite and ./redis subpaths.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Runtime (non-type-only) imports of every module reachable from `entry`, static or dynamic. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    const staticImports = [...text.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)]
      .filter((m) => m[1] === undefined)
      .map((m) => m[2]!);
    const dynamicImports = [...text.matchAll(/import\('([^']+)'\)/g)].map((m) => m[1]!);
    const specifiers = [...staticImports, ...dynamicImports];
    graph.set(file, specifiers);
    for (const spec of specifiers) {
      if (spec.startsWith('.')) pending.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    }
  }
  return graph;
}

describe('runtime neutrality of @herald/webhooks (core)', () => {
  it('imports only jose and relative modules, never node:* or optional peers', () => {
    const graph = importGraph(resolve(src, 'index.ts'));
    const external = new Set([...graph.values()].flat().filter((spec) => !spec.startsWith('.')));
    expect([...external]).toEqual(['jose']);
    expect(graph.size).toBeGreaterThan(15);
  });

  it('the Node-only subpaths are not reachable from the core', () => {
    const files = [...importGraph(resolve(src, 'index.ts')).keys()].map((f) => f.slice(src.length + 1));
    for (const dir of ['node/', 'express/', 'fastify/', 'sqlite/', 'redis/', 'testing/']) {
      expect(files.filter((f) => f.startsWith(dir))).toEqual([]);
    }
  });
});
