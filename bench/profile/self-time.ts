/** The slice of a V8 `.cpuprofile` that self time needs. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * The `top` functions by self time (share of all samples), as a Markdown table: function, where
 * (file:line, `node_modules/` and the repository root trimmed) and the share.
 */
export function topSelfTime(profile: CpuProfile, top: number, by: 'function' | 'file' = 'function'): string {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const f = byNode.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    if (!f) return;
    const where = f.url
      .replace(/^file:\/\//, '')
      .replace(/^.*node_modules\//, '')
      .replace(process.cwd() + '/', '');
    const key =
      by === 'file'
        ? `${
            where
              .split('/')
              .slice(0, where.startsWith('packages/') ? 5 : 2)
              .join('/') || f.functionName
          } | `
        : `${f.functionName || '(anonymous)'} | ${where ? `${where}:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    '| function | where | self |',
    '| --- | --- | --- |',
    ...rows.map(([k, v]) => `| ${k} | ${((v / total) * 100).toFixed(1)} % |`),
  ].join('\n');
}
