/**
 * Runs one autocannon measurement in a CHILD PROCESS (so the load generator does not share Herald's
 * event loop) and reports the summary over IPC. Driven by `autocannon-runner.ts`.
 */
import autocannon from 'autocannon';
import type { CannonReply, CannonRequest } from './autocannon-protocol.js';

async function run(msg: CannonRequest): Promise<CannonReply> {
  const result = await autocannon({
    url: msg.url,
    method: msg.method,
    headers: msg.headers,
    ...(msg.body !== undefined ? { body: msg.body } : {}),
    connections: msg.connections,
    duration: msg.durationSec,
    pipelining: 1,
  });
  return {
    id: msg.id,
    ok: true,
    requestsPerSec: Math.round(result.requests.average),
    total: result.requests.total,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSec: result.duration,
  };
}

process.on('message', (msg: CannonRequest) => {
  run(msg).then(
    (reply) => process.send?.(reply),
    (err: unknown) => process.send?.({ id: msg.id, ok: false, error: String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
