/**
 * HTTP event producer, run as a CHILD PROCESS so that the client side of the ingest path never runs
 * on Herald's event loop. Posts `{type, data: {seq}}` to `POST /v1beta/events` (or `batch` of them a
 * request to `POST /v1beta/events:batchCreate`) over keep-alive
 * connections, `connections` requests in flight, until `count` events are accepted or `durationMs`
 * has passed. Driven over IPC by `loadgen.ts`.
 */
import { Agent, request } from 'undici';
import type { LoadgenReply, LoadgenRequest } from './loadgen-protocol.js';

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

async function run(msg: LoadgenRequest): Promise<LoadgenReply> {
  const agent = new Agent({ connections: msg.connections, keepAliveTimeout: 30_000, pipelining: 1 });
  const started = nowMs();
  const deadline = started + msg.durationMs;
  let next = 0;
  let accepted = 0;
  let errors = 0;
  let firstError = '';
  const sentAt = msg.stamps ? new Array<number>(msg.count).fill(0) : undefined;
  const worker = async () => {
    while (next < msg.count && nowMs() < deadline) {
      const seq = next;
      const n = Math.min(msg.batch ?? 1, msg.count - seq);
      next += n;
      const event = (s: number) => ({ type: msg.types[s % msg.types.length], data: { seq: s } });
      if (sentAt) for (let s = seq; s < seq + n; s++) sentAt[s] = nowMs();
      try {
        const res = await request(`${msg.url}/v1beta/events${msg.batch ? ':batchCreate' : ''}`, {
          dispatcher: agent,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-goog-api-key': msg.apiKey },
          body: JSON.stringify(
            msg.batch ? { requests: Array.from({ length: n }, (_, i) => event(seq + i)) } : event(seq),
          ),
        });
        const text = await res.body.text();
        if (res.statusCode === 200) accepted += n;
        else {
          errors++;
          firstError ||= `${res.statusCode} ${text.slice(0, 200)}`;
        }
      } catch (err) {
        errors++;
        firstError ||= String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: msg.connections }, worker));
  const elapsedMs = nowMs() - started;
  await agent.close();
  return {
    id: msg.id,
    ok: true,
    accepted,
    errors,
    firstError,
    startedAt: started,
    elapsedMs,
    ...(sentAt ? { sentAt } : {}),
  };
}

process.on('message', (msg: LoadgenRequest) => {
  run(msg).then(
    (reply) => process.send?.(reply),
    (err: unknown) => process.send?.({ id: msg.id, ok: false, error: String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
