/** How big each scenario runs. `full` fits in 10 minutes, `quick` in 1, `smoke` is for CI. */
export type Mode = 'full' | 'quick' | 'smoke';

export interface Sizes {
  latency: {
    /** Events emitted at `ratePerSec` (open loop: the schedule never waits for an answer). */
    events: number;
    ratePerSec: number;
    /** Same, through `POST /v1beta/events` from this process (the client stamps send and answer). */
    httpEvents: number;
    /** Polling baselines: poll periods (ms) and clients per period, each with a random phase. */
    pollPeriodsMs: number[];
    pollersPerPeriod: number;
  };
  throughput: {
    events: number;
    endpoints: number;
    /** Emits (or HTTP requests) in flight from the producer. */
    producerConcurrency: number;
    /** A run that has not delivered `events` by then is stopped and reported as a rate over what it did. */
    capMs: number;
  };
  backlog: {
    pendingTarget: number;
    /** Webhooks subscribed to the backlog's event type: each emit writes this many deliveries. */
    fanout: number;
    receivers: number;
    /** Ingest while the receivers refuse connections and the engine runs (the retry storm). */
    stormMs: number;
    /** Most time spent filling the backlog (engine paused). */
    fillCapMs: number;
    /** Engine runs this long against the refusing receivers at each checkpoint, to sample claims. */
    claimProbeMs: number;
    drainCapMs: number;
  };
  isolation: {
    /** Events to healthy endpoints at the latency scenario's rate; as many again go to black holes. */
    healthyEvents: number;
    attemptTimeoutMs: number;
  };
  api: { durationSec: number; connections: number };
  scaleout: {
    /** Events through `POST /v1beta/events`, round-robin over `endpoints` webhooks (one delivery each). */
    events: number;
    endpoints: number;
    /** HTTP requests in flight from the load generator. */
    producerConcurrency: number;
    /**
     * Per topology, from the first POST: ingest stops, and delivery is waited for, until then; a run
     * that has not delivered all `events` by then is reported as a rate over what it did.
     */
    capMs: number;
    /**
     * Posted and delivered before the measured run, per topology (JIT, pools, sockets): enough that
     * every process is warm, as a long-running deployment is (a few hundred left the PostgreSQL
     * processes still compiling, and the ratios measured start-up rather than throughput).
     */
    warmupEvents: number;
    /** Most time the `herald serve` processes of one topology may take to answer `/readyz`. */
    readyMs: number;
  };
  tenants: {
    /** Projects created over HTTP, each with one webhook and one event. */
    tenants: number;
    /** The quiet tenant's stream (alone, then beside the noisy one). */
    quietEvents: number;
    quietRatePerSec: number;
    /** The noisy tenant: this many events to each of `noisyWebhooks` black-hole webhooks. */
    noisyEvents: number;
    noisyWebhooks: number;
    attemptTimeoutMs: number;
    /** Most time to wait for a stream's deliveries. */
    drainCapMs: number;
  };
}

export const SIZES: Record<Mode, Sizes> = {
  full: {
    latency: { events: 2000, ratePerSec: 50, httpEvents: 500, pollPeriodsMs: [1000, 5000], pollersPerPeriod: 4 },
    throughput: { events: 50_000, endpoints: 10, producerConcurrency: 32, capMs: 45_000 },
    backlog: {
      pendingTarget: 1_000_000,
      fanout: 100,
      receivers: 10,
      stormMs: 10_000,
      fillCapMs: 170_000,
      claimProbeMs: 2000,
      drainCapMs: 30_000,
    },
    isolation: { healthyEvents: 1000, attemptTimeoutMs: 2000 },
    api: { durationSec: 5, connections: 16 },
    scaleout: {
      events: 20_000,
      endpoints: 10,
      producerConcurrency: 32,
      capMs: 12_000,
      warmupEvents: 2_000,
      readyMs: 180_000,
    },
    tenants: {
      tenants: 10_000,
      quietEvents: 300,
      quietRatePerSec: 20,
      noisyEvents: 10_000,
      noisyWebhooks: 10,
      attemptTimeoutMs: 2000,
      drainCapMs: 60_000,
    },
  },
  quick: {
    latency: { events: 150, ratePerSec: 50, httpEvents: 50, pollPeriodsMs: [1000, 5000], pollersPerPeriod: 2 },
    throughput: { events: 1500, endpoints: 10, producerConcurrency: 32, capMs: 2500 },
    backlog: {
      pendingTarget: 20_000,
      fanout: 20,
      receivers: 10,
      stormMs: 1000,
      fillCapMs: 10_000,
      claimProbeMs: 300,
      drainCapMs: 1500,
    },
    isolation: { healthyEvents: 100, attemptTimeoutMs: 1000 },
    api: { durationSec: 1, connections: 16 },
    scaleout: {
      events: 3000,
      endpoints: 10,
      producerConcurrency: 32,
      capMs: 4000,
      warmupEvents: 1000,
      readyMs: 60_000,
    },
    tenants: {
      tenants: 1000,
      quietEvents: 100,
      quietRatePerSec: 20,
      noisyEvents: 2000,
      noisyWebhooks: 10,
      attemptTimeoutMs: 1000,
      drainCapMs: 20_000,
    },
  },
  smoke: {
    latency: { events: 20, ratePerSec: 100, httpEvents: 10, pollPeriodsMs: [100, 250], pollersPerPeriod: 1 },
    throughput: { events: 100, endpoints: 4, producerConcurrency: 8, capMs: 10_000 },
    backlog: {
      pendingTarget: 400,
      fanout: 4,
      receivers: 2,
      stormMs: 200,
      fillCapMs: 10_000,
      claimProbeMs: 100,
      drainCapMs: 1000,
    },
    isolation: { healthyEvents: 10, attemptTimeoutMs: 500 },
    api: { durationSec: 1, connections: 4 },
    scaleout: { events: 100, endpoints: 4, producerConcurrency: 8, capMs: 30_000, warmupEvents: 10, readyMs: 90_000 },
    tenants: {
      tenants: 10,
      quietEvents: 10,
      quietRatePerSec: 50,
      noisyEvents: 50,
      noisyWebhooks: 2,
      attemptTimeoutMs: 500,
      drainCapMs: 20_000,
    },
  },
};
