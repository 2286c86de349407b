/** IPC messages between the bench process and `receiver-process.ts`. */
export type EndpointMode = 'ok' | 'hang' | 'down';

export interface EndpointReport {
  received: number;
  /** Requests whose `webhook-signature` verified against the endpoint's secret. */
  verified: number;
  /** Requests that failed verification (only counted once a secret is configured). */
  invalid: number;
  /** Requests whose `webhook-id` this endpoint had already seen. */
  duplicates: number;
  /** Monotonic ms (see `nowMs`) of the first and last arrival. */
  firstAt: number;
  lastAt: number;
}

export interface Arrivals {
  /** `data.seq` of each arrival's event body (-1 when absent). */
  seq: number[];
  /** Monotonic ms of each arrival. */
  at: number[];
  /** Endpoint index of each arrival (global in the protocol, local to a `Receivers` group in its API). */
  endpoint: number[];
}

export type ReceiverRequest =
  | { id: number; op: 'start'; endpoints: number; record: boolean }
  | { id: number; op: 'configure'; index: number; secret?: string; mode?: EndpointMode }
  | { id: number; op: 'reset'; indexes: number[] }
  | { id: number; op: 'report'; arrivals: boolean; indexes: number[] }
  | { id: number; op: 'close'; indexes: number[] };

export type ReceiverReply =
  | { id: number; ok: true; base?: number; urls?: string[]; endpoints?: EndpointReport[]; arrivals?: Arrivals }
  | { id: number; ok: false; error: string };
