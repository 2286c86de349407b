/** IPC messages between the bench process and `autocannon-process.ts`. */
export interface CannonRequest {
  id: number;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  connections: number;
  durationSec: number;
}

export type CannonReply =
  | {
      id: number;
      ok: true;
      requestsPerSec: number;
      total: number;
      latencyP50: number;
      latencyP99: number;
      non2xx: number;
      errors: number;
      timeouts: number;
      durationSec: number;
    }
  | { id: number; ok: false; error: string };
