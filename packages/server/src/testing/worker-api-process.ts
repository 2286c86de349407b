import { spawn } from 'node:child_process';

/**
 * One worker process of an API builder: leases `mp.job` operations through the HTTP worker API
 * and completes them, until three leases in a row come back empty. Resolves to the names it
 * completed (only completions the API accepted).
 */
export async function runWorkerProcess(base: string, apiKey: string, id: string): Promise<string[]> {
  const script = `
    const [base, key, id] = process.argv.slice(1);
    const post = async (path, body) => {
      const r = await fetch(base + path, { method: 'POST', headers: { 'x-goog-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: r.status, body: await r.json() };
    };
    let empty = 0;
    while (empty < 3) {
      const { body } = await post('/v1beta/operations:lease', { kinds: ['mp.job'], max: 5, lease_seconds: 60, worker_id: id });
      const ops = body.operations ?? [];
      if (ops.length === 0) { empty++; await new Promise((r) => setTimeout(r, 100)); continue; }
      empty = 0;
      await Promise.all(ops.map(async (op) => {
        const r = await post('/v1beta/' + op.name + ':complete', { lease_id: op.lease_id, result: { by: id } });
        if (r.status === 200) console.log('done ' + op.name);
      }));
    }
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, base, apiKey, id], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`worker ${id} exited ${String(code)}: ${err}`);
  return out
    .split('\n')
    .filter((l) => l.startsWith('done '))
    .map((l) => l.slice(5));
}
